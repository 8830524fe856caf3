"""推荐清单: the applications a 盟市 recommended for a call, as XLSX and PDF, with a place for its seal.

The 盟市工信局 prints it, signs and seals it, and sends it with its 推荐文件. Rows come from each
application's latest submitted version, like the 汇总表. Which figure and contact it shows are the
fields the call's schema marks as `headline`, `contact_name` and `contact_phone`.
"""

from dataclasses import dataclass

from documents.pdf import render_pdf
from documents.summary import CHUNK_SIZE, as_text, figure, generated_at, summary_source
from shenbao.lib.sheets import HEADING_FONT, NOTE_FONT, TITLE_FONT, StreamedSheet

SIGNATURES = ("盖章处：", "负责人（签字）：", "日期：　　　　年　　月　　日")


@dataclass(frozen=True)
class ListColumn:
    heading: str
    width: int  # characters in the XLSX
    value: object  # (index, item, data) -> the value in this column
    places: int | None = None  # decimals of a number; None for text


def recommendation_title(schema):
    """{year}年内蒙古自治区先进制造业集群项目推荐清单."""
    return f"{schema.project_name}推荐清单"


def recommendation_columns(schema):
    """序号, 申报编号, the name and 申报单位, the schema's headline figure, its contact, 备注."""
    columns = [
        ListColumn("序号", 6, lambda index, item, data: index, places=0),
        ListColumn("申报编号", 17, lambda index, item, data: item["number"]),
        ListColumn(schema.title_label, 26, lambda index, item, data: schema.title_of(data)),
        ListColumn(
            schema.source_label("organisation", "申报单位"), 26, lambda index, item, data: item["organisation__name"]
        ),
    ]
    if headline := schema.role("headline"):
        cell, heading = schema.column(headline.key)
        places = 0 if cell.kind == "count" else headline.places
        columns.append(ListColumn(heading, 14, lambda index, item, data: figure(cell, data.get(cell.name)), places))
    contact = [f for f in (schema.role("contact_name"), schema.role("contact_phone")) if f]
    if contact:
        heading = "联系人及电话" if len(contact) == 2 else contact[0].label

        def contact_text(index, item, data):
            return " ".join(str(data.get(f.key) or "") for f in contact).strip()

        columns.append(ListColumn(heading, 24, contact_text))
    columns.append(ListColumn("备注", 12, lambda index, item, data: ""))
    return columns


def recommendation_headings(schema):
    return tuple(c.heading for c in recommendation_columns(schema))


def recommendation_rows(applications, schema, columns=None):
    """One row per recommended application: the values in `recommendation_columns` order."""
    columns = columns or recommendation_columns(schema)
    for index, item in enumerate(summary_source(applications).iterator(chunk_size=CHUNK_SIZE), 1):
        data = item["shown_data"] or {}
        yield [column.value(index, item, data) for column in columns]


def recommendation_xlsx(applications, schema, region, now=None):
    """The 推荐清单 as an XLSX temporary file, rewound, ready to print on A4 landscape and seal."""
    columns = recommendation_columns(schema)
    sheet = StreamedSheet("推荐清单", [c.width for c in columns], heading_row=3, now=now)
    sheet.banner(recommendation_title(schema), TITLE_FONT)
    sheet.banner(f"推荐单位（盖章）：{region.bureau_name}", HEADING_FONT)
    sheet.headings([c.heading for c in columns])
    places = [c.places for c in columns]
    count = 0
    for row in recommendation_rows(applications, schema, columns):
        sheet.values(row, places)
        count += 1
    sheet.banner(f"共推荐 {count} 个{schema.subject}。生成时间：{generated_at(now)}", NOTE_FONT)
    sheet.banner("", NOTE_FONT)
    for line in SIGNATURES:
        sheet.banner(line, HEADING_FONT)
    return sheet.save()


def recommendation_text_rows(applications, schema):
    """The rows as printed and shown on screen: (text, is a number) per column."""
    columns = recommendation_columns(schema)
    return [
        [(as_text(v, c.places), c.places is not None) for v, c in zip(row, columns, strict=True)]
        for row in recommendation_rows(applications, schema, columns)
    ]


def recommendation_pdf(applications, schema, region, now=None):
    """The 推荐清单 as PDF bytes on A4 portrait, with 盖章处, 负责人签字 and 日期 below the table."""
    rows = recommendation_text_rows(applications, schema)
    context = {
        "title": recommendation_title(schema),
        "bureau_name": region.bureau_name,
        "headings": recommendation_headings(schema),
        "rows": rows,
        "subject": schema.subject,
        "generated_at": generated_at(now),
    }
    return render_pdf("print/recommendation_list.html", context, subject=f"推荐单位：{region.bureau_name}", created=now)

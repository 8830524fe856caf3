"""推荐清单: the applications a 盟市 recommended for a call, as XLSX and PDF, with a place for its seal.

The 盟市工信局 prints it, signs and seals it, and sends it with its 推荐文件. Rows come from each
application's latest submitted version, like the 汇总表.
"""

from documents.pdf import render_pdf
from documents.sheets import HEADING_FONT, NOTE_FONT, TITLE_FONT, StreamedSheet
from documents.summary import CHUNK_SIZE, as_text, figure, generated_at, summary_source

OUTPUT_FIELD = "output"  # 集群总产值, shown for the latest year
CONTACT_FIELDS = ("contact_person", "contact_phone")  # the cover's 联系人 and 联系电话
WIDTHS = (6, 17, 26, 26, 14, 24, 12)
SIGNATURES = ("盖章处：", "负责人（签字）：", "日期：　　　　年　　月　　日")


def recommendation_title(schema):
    """{year}年内蒙古自治区先进制造业集群项目推荐清单."""
    return f"{schema.project_name}推荐清单"


def recommendation_headings(schema):
    _, output_heading = schema.column(OUTPUT_FIELD, "集群总产值")
    return ("序号", "申报编号", "集群名称", "集群促进组织名称", output_heading, "联系人及电话", "备注")


def recommendation_rows(applications, schema):
    """One row per recommended application: the values in `recommendation_headings` order."""
    output_cell, _ = schema.column(OUTPUT_FIELD)
    for index, item in enumerate(summary_source(applications).iterator(chunk_size=CHUNK_SIZE), 1):
        data = item["shown_data"] or {}
        contact = " ".join(str(data.get(key) or "") for key in CONTACT_FIELDS).strip()
        yield [
            index,
            item["number"],
            data.get("cluster_name") or "",
            item["organisation__name"],
            figure(output_cell, data.get(output_cell.name)),
            contact,
            "",
        ]


def recommendation_xlsx(applications, schema, region, now=None):
    """The 推荐清单 as an XLSX temporary file, rewound, ready to print on A4 portrait and seal."""
    output_cell, _ = schema.column(OUTPUT_FIELD)
    sheet = StreamedSheet("推荐清单", WIDTHS, heading_row=3, landscape=False)
    sheet.banner(recommendation_title(schema), TITLE_FONT)
    sheet.banner(f"推荐单位（盖章）：{region.bureau_name}", HEADING_FONT)
    sheet.headings(recommendation_headings(schema))
    places = (0, None, None, None, output_cell.field.places, None, None)
    count = 0
    for row in recommendation_rows(applications, schema):
        sheet.values(row, places)
        count += 1
    sheet.banner(f"共推荐 {count} 个集群。生成时间：{generated_at(now)}", NOTE_FONT)
    sheet.banner("", NOTE_FONT)
    for line in SIGNATURES:
        sheet.banner(line, HEADING_FONT)
    return sheet.save()


def recommendation_text_rows(applications, schema):
    """The rows as printed and shown on screen: (text, is a number) per column."""
    places = schema.column(OUTPUT_FIELD)[0].field.places
    rows = recommendation_rows(applications, schema)
    return [[(as_text(v, places), i in (0, 4)) for i, v in enumerate(row)] for row in rows]


def recommendation_pdf(applications, schema, region, now=None):
    """The 推荐清单 as PDF bytes on A4 portrait, with 盖章处, 负责人签字 and 日期 below the table."""
    rows = recommendation_text_rows(applications, schema)
    context = {
        "title": recommendation_title(schema),
        "bureau_name": region.bureau_name,
        "headings": recommendation_headings(schema),
        "rows": rows,
        "generated_at": generated_at(now),
    }
    return render_pdf("print/recommendation_list.html", context)

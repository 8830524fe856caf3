"""The 申请报告 as blocks, in the guide's order: cover, 填报说明, 承诺书, tables 一–六, chapter 七, attachments.

Only arrangement lives here. Labels, units, choices and the chapter outline come from the call
schema; figures come from the record exactly as stored (canonical two-decimal strings).
"""

import re
from dataclasses import replace

from django.urls import reverse

from calls.schema.model import COMMITMENT, REPORT, with_unit
from calls.schema.report import derived_value
from documents.content import (
    CHECKED,
    Cell,
    Cover,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Signatures,
    Spine,
    Table,
    checkboxes,
)


def footer_text(record):
    app = record.application
    if record.preview:
        return f"申报编号 {app.number} · 预览（示例数据，不作为申报材料）"
    if record.is_draft:
        return f"申报编号 {app.number} · 草稿（未提交，不作为正式申报材料）"
    return f"申报编号 {app.number} · {record.version_label} · 验证码 {record.verification_code}"


def new_document(record, title, filename_part):
    code = record.verification_code
    return Document(
        title=title,
        filename=f"{record.application.number}-{filename_part}-{record.version_label}",
        footer=footer_text(record),
        verification_code=code,
        verify_url=reverse("verify", args=[code.replace("-", "")]) if code else "",
        watermark="预览" if record.preview else "草稿",
        created=record.version.submitted_at if record.version else None,
    )


def build(record):
    schema = record.schema
    doc = new_document(record, schema.title, "申请报告")
    doc.add(_cover(record), PageBreak())
    doc.add(Heading("填报说明", 1), *[Paragraph(f"{i}.{note}") for i, note in enumerate(schema.notes, 1)])
    if schema.sections_for(COMMITMENT):
        doc.add(PageBreak(), *_commitment(schema))
    # The body: the sections laid out for the report; the cover's fields are on the cover, the
    # 承诺书 is the page above, and the 绩效目标表 is a document of its own.
    for section in schema.sections_for(REPORT):
        doc.add(PageBreak())
        doc.add(Heading(section.heading, 2))
        doc.add(*section_blocks(record, section))
    doc.add(PageBreak(), *_attachment_list(record))
    spine = schema.role("spine")
    project = (record.data.get(spine.key) if spine else "") or schema.project_name
    doc.add(Spine(record.context.organisation_name, project))
    return doc


def _cover(record):
    """The fields the schema puts on the cover, in its order; those sharing a label print on one line."""
    items = {}
    for field in record.schema.cover_fields:
        value = _cover_value(record, field)
        items.setdefault(field.cover, []).append(value)
    lines = tuple((f"{label}：", " ".join(v for v in values if v)) for label, values in items.items())
    return Cover(title_lines=_title_lines(record.schema.title), items=lines)


def _cover_value(record, field):
    if field.type != "derived":
        return cell_text(record, field.cells[0])
    if field.source == "submitted_at":
        return record.submitted_at_text
    return derived_value(field, record.data, record.context, record.schema)


def _title_lines(title):
    """The guide sets the cover title on two lines after the region: 2024年内蒙古自治区 / 先进制造业…申请报告."""
    head, mark, tail = title.partition("自治区")
    return (head + mark, tail) if mark and tail else (title,)


def _commitment(schema):
    c = schema.commitment
    return [
        Heading(c["heading"], 1),
        Paragraph(c["intro"]),
        *[Paragraph(f"{i}.{item}", "indent") for i, item in enumerate(c["items"], 1)],
        Paragraph(c["closing"], "indent"),
        Signatures((*c["signatures"], "日期：        年    月    日")),
    ]


def display_label(field):
    """Figures' labels name their unit once; ratios and growths name theirs (%) in the schema's label. A grid's
    heading stays the guide's words: its unit goes above the grid as 单位：项, as statistical tables print it."""
    if field.type in {"count", "decimal", "named_count"}:
        return with_unit(field.label, field.unit)
    return field.label


def cell_text(record, cell):
    """A stored value as printed: figures as stored, choices as ticked boxes, lists one per line."""
    field, value = cell.field, record.data.get(cell.name, [] if cell.is_list else "")
    if field.type in {"yes_no", "yes_no_na", "choice"}:
        return checkboxes(field.choices, value)
    if field.type == "accept":
        return f"{CHECKED}已确认" if value == "1" else "☐未确认"
    if field.type == "regions":
        return "、".join(record.context.regions.get(code, code) for code in value or []) or "无"
    if cell.kind in {"names", "text_list"}:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(value or [], 1))
    return value or ""


def section_blocks(record, section):
    """A section's fields as the guide's tables: label/value rows, year tables, the standards grid."""
    blocks, rows = [], []

    def flush():
        if rows:
            blocks.append(Table(list(rows), widths=(2, 3)))
            rows.clear()

    fields = [f for f in section.fields if f.printed]
    i = 0
    while i < len(fields):
        field = fields[i]
        if field.per_year and field.type != "matrix":
            flush()
            group = [field]
            while i + 1 < len(fields) and _continues_year_table(fields[i + 1]):
                i += 1
                group.append(fields[i])
            blocks.append(_year_table(record, group))
        elif field.type == "matrix":
            flush()
            blocks.append(Paragraph(display_label(field), "heiti"))
            if field.unit:
                blocks.append(Paragraph(f"单位：{field.unit}", "right"))
            blocks.append(_matrix(record, field))
        elif field.type == "text_group":
            flush()
            blocks.extend(_chapter(record, field))
        elif field.type == "rows":
            flush()
            blocks.append(rows_table(record, field))
        else:
            if field.group and (i == 0 or fields[i - 1].group != field.group):
                rows.append([Cell(field.group, colspan=2, header=True)])
            rows.append(_row(record, field))
        i += 1
    flush()
    return blocks


def _continues_year_table(field):
    """A per-year field without a heading of its own joins the year table above it."""
    return field.per_year and field.type != "matrix" and not field.year_heading


def _row(record, field):
    """A label/value row; the guide's note on the field (（需提供清单）) follows the value in its cell."""
    label, value = _label_and_value(record, field)
    if field.guide_note:
        value = replace(value, text="\n".join(t for t in (value.text, field.guide_note) if t))
    return [label, value]


def _label_and_value(record, field):
    if field.type == "derived":
        value = derived_value(field, record.data, record.context, record.schema)
        if field.source == "submitted_at":
            value = record.submitted_at_text
        return [Cell(field.label, style="label"), Cell(value)]
    if field.type == "named_count":
        count_cell, names_cell = field.cells
        count = record.data.get(count_cell.name, "")
        names = cell_text(record, names_cell)
        text = f"数量：{count} {field.unit}" + (f"\n名称：\n{names}" if names else "")
        return [Cell(field.label, style="label"), Cell(text, style="long")]
    text = cell_text(record, field.cells[0])
    style = "num" if field.cells[0].is_numeric else "long" if field.type in {"longtext", "text_list"} else ""
    return [Cell(display_label(field), style="label"), Cell(text, style=style)]


def _year_table(record, fields):
    years = record.schema.years
    header = [Cell(fields[0].year_heading or "年度", header=True)] + [Cell(f"{y}年", header=True) for y in years]
    rows = [header]
    for field in fields:
        values = [Cell(cell_text(record, c), style="num") for c in field.cells]
        rows.append([Cell(display_label(field), style="label"), *values])
    return Table(rows, header_rows=1, widths=(4, 2, 2, 2))


def _matrix(record, field):
    years = record.schema.years
    top = [Cell(field.row_heading, rowspan=2, header=True)] + [
        Cell(f"{y}年", colspan=len(field.columns), header=True) for y in years
    ]
    second = [Cell(label, header=True) for _ in years for _, label in field.columns]
    rows = [top, second]
    for row_key, row_label in field.rows:
        cells = [Cell(row_label, style="centre")]
        for y in years:
            for col_key, _ in field.columns:
                cells.append(Cell(record.data.get(f"{field.key}__{y}__{row_key}__{col_key}", ""), style="num"))
        rows.append(cells)
    return Table(rows, header_rows=2, widths=(2,) + (1.5,) * (len(years) * len(field.columns)))


def _chapter(record, field):
    """Chapter 七: the guide's outline headings, each followed by the applicant's text."""
    blocks = [Paragraph(f"（{field.max_chars}字以内）", "muted")]
    for cell, (_, title, _) in zip(field.cells, field.parts, strict=True):
        blocks.extend(Heading(line, 4 if line.startswith("（") else 3) for line in _outline(title))
        text = record.data.get(cell.name, "")
        blocks.extend(Paragraph(line, "indent") for line in text.split("\n") if line.strip())
    return blocks


# The outline numbering of Chinese official writing: 一、 heads a chapter, （一） a part of it.
_SUB_HEADING = re.compile(r"\s*(?=（[一二三四五六七八九十]+）)")


def _outline(title):
    """A part's title as the guide's headings: 四、未来三年发展规划 （一）总体思路 is the chapter's heading and
    its first sub-heading, two lines in the guide, one part (one text) on the form."""
    return [line for line in _SUB_HEADING.split(title) if line]


def _attachment_list(record):
    titles = {s.key: s.label for s in record.schema.slots}
    rows = [[Cell(h, header=True) for h in ("序号", "附件类别", "文件名", "大小", "SHA-256（前16位）")]]
    for i, item in enumerate(record.attachments, 1):
        rows.append(
            [
                Cell(str(i), style="centre"),
                Cell(titles.get(item["slot"], item["slot"])),
                Cell(item["name"]),
                Cell(_size(item["size"]), style="num"),
                Cell(item["sha256"][:16].upper(), style="centre code"),
            ]
        )
    if len(rows) == 1:
        rows.append([Cell("（未上传附件）", colspan=5, style="centre")])
    note = "附件原件以电子文件形式随申报书提交；SHA-256 用于核对纸质材料与系统中文件的一致性。"
    table = Table(rows, header_rows=1, widths=(1.3, 3.8, 4.5, 1.8, 3.2))
    return [Heading("附件清单", 2), table, Paragraph(note, "muted")]


def _size(size):
    return f"{size / 1024 / 1024:.2f} MB" if size >= 1024 * 1024 else f"{max(size / 1024, 0.01):.2f} KB"


def rows_table(record, field):
    """A `rows` field as a table, one line per row entered. A choice column that others depend on (一级指标
    and its 二级指标) spans the lines it heads, as in the national 绩效目标表; a `qualitative` field's sign,
    value and unit print as one 指标值 (≥ 10 家, or the words of a 定性 target)."""
    level1 = field.require_each or None
    level2 = next((c["key"] for c in field.columns if level1 and c.get("parent") == level1), None)
    spanned = [key for key in (level1, level2) if key]
    q = field.qualitative
    target = {q["column"], q["numeric"], q["unit"]} if q else set()
    plain = [c for c in field.columns if c["key"] not in spanned and c["key"] not in target]
    labels = {c["key"]: c["label"] for c in field.columns}
    entries = [row for row in record.data.get(field.cells[0].name) or [] if any(row.values())]
    if level1:
        order = {v: n for n, v in enumerate(next(c for c in field.columns if c["key"] == level1)["choices"])}
        entries.sort(key=lambda row: order.get(row.get(level1), len(order)))
    header = [Cell(labels[key], header=True) for key in spanned] + [Cell(c["label"], header=True) for c in plain]
    if q:
        header.append(Cell("指标值", header=True))
    rows = [[Cell(field.label, colspan=len(header), header=True)], header]
    for n, row in enumerate(entries):
        cells = []
        for depth, key in enumerate(spanned, 1):
            heads = spanned[:depth]  # a 二级 cell spans while both it and its 一级 stay the same
            if n == 0 or [entries[n - 1].get(k) for k in heads] != [row.get(k) for k in heads]:
                span = _run(entries, n, lambda r, heads=heads: [r.get(k) for k in heads])
                cells.append(Cell(row.get(key, ""), rowspan=span, style="centre"))
        cells += [Cell(row.get(c["key"], "")) for c in plain]
        if q:
            cells.append(Cell(_target(row, q), style="centre"))
        rows.append(cells)
    widths = (1.6,) * len(spanned) + (3.6 if len(plain) == 1 else 2.4,) * len(plain) + ((2.0,) if q else ())
    # Its own table, so the two header rows repeat on every page the rows run onto.
    return Table(rows, header_rows=2, widths=widths)


def _run(entries, start, key):
    n = start
    while n < len(entries) and key(entries[n]) == key(entries[start]):
        n += 1
    return n - start


def _target(row, q):
    """指标值: the sign, figure and unit (≥ 10 家), or the words of a qualitative (定性) target."""
    if not q:
        return row.get("value", "")
    if row.get(q["column"]) == q["value"]:
        return row.get(q["numeric"], "")
    return f"{row.get(q['column'], '')}{row.get(q['numeric'], '')}{row.get(q['unit'], '')}"

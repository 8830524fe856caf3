"""The 绩效目标表 as blocks, in the national 项目支出绩效目标表 layout.

Header rows (项目名称, 主管部门, 实施单位 …), 资金情况 and 资金使用计划 under their group label, 年度总体目标,
then the 一级/二级/三级 indicator grid with 指标值. Everything comes from the schema's performance
section, so another call's table with other indicators needs no code here.
"""

from calls.schema.report import derived_value
from documents.application_report import cell_text, new_document
from documents.content import Cell, Heading, Paragraph, Table

SECTION = "performance"
COLUMNS = 6  # the header table: a label and five value columns, so grouped rows can nest a second label


def build(record):
    schema = record.schema
    section = schema.section(SECTION)
    doc = new_document(record, "项目支出绩效目标表", "绩效目标表")
    doc.add(Heading("项目支出绩效目标表", 1), Paragraph(f"（{schema.year}年度）", "centre"))
    doc.add(Paragraph(f"申报单位（盖章）：{record.context.organisation_name}", "right"))
    rows = []
    fields = [f for f in section.fields if f.type != "rows"]
    i = 0
    while i < len(fields):
        field = fields[i]
        if field.group:
            group = [field]
            while i + len(group) < len(fields) and fields[i + len(group)].group == field.group:
                group.append(fields[i + len(group)])
            rows.append([Cell(field.group, rowspan=len(group), style="centre heiti"), *_pair(record, group[0])])
            rows.extend(_pair(record, f) for f in group[1:])
            i += len(group)
            continue
        value = Cell(_value(record, field), colspan=COLUMNS - 1, style=_style(field))
        rows.append([Cell(field.label, style="centre heiti"), value])
        i += 1
    doc.add(Table(rows, widths=(1.3, 1.4, 1.6, 2.2, 1.2, 1.6)))
    for field in section.fields:
        if field.type == "rows":
            doc.add(_indicators(record, field))
    doc.add(Paragraph("填报人：                联系电话：                填报日期：      年    月    日", "muted"))
    return doc


def _pair(record, field):
    return [Cell(field.label, colspan=2), Cell(_value(record, field), colspan=COLUMNS - 3, style=_style(field))]


def _style(field):
    return "num" if field.type in {"decimal", "count"} else "long" if field.type == "text_list" else ""


def _value(record, field):
    if field.type == "derived":
        return derived_value(field, record.data, record.context, record.schema)
    return cell_text(record, field.cells[0])


def _indicators(record, field):
    """The indicator grid: 一级 and 二级 cells span the rows they head, as in the national form."""
    columns = {c["key"]: c for c in field.columns}
    level1, level2 = field.require_each, next((c["key"] for c in field.columns if c.get("parent")), None)
    q = field.qualitative
    entries = [row for row in record.data.get(field.cells[0].name) or [] if any(row.values())]
    order = {v: n for n, v in enumerate(columns[level1]["choices"])} if level1 else {}
    entries.sort(key=lambda row: order.get(row.get(level1), len(order)))
    header = [
        Cell(columns[level1]["label"], header=True),
        Cell(columns[level2]["label"], header=True),
        Cell(columns["name"]["label"] if "name" in columns else "三级指标", colspan=2, header=True),
        Cell("指标值", header=True),
    ]
    rows = [[Cell(field.label, colspan=5, header=True)], header]
    for n, row in enumerate(entries):
        cells = []
        if n == 0 or row.get(level1) != entries[n - 1].get(level1):
            span = _run(entries, n, lambda r: r.get(level1))
            cells.append(Cell(row.get(level1, ""), rowspan=span, style="centre"))
        if n == 0 or (row.get(level1), row.get(level2)) != (entries[n - 1].get(level1), entries[n - 1].get(level2)):
            span = _run(entries, n, lambda r: (r.get(level1), r.get(level2)))
            cells.append(Cell(row.get(level2, ""), rowspan=span, style="centre"))
        cells.append(Cell(row.get("name", ""), colspan=2))
        cells.append(Cell(_target(row, q), style="centre"))
        rows.append(cells)
    # Its own table, so the two header rows repeat on every page the indicators run onto.
    return Table(rows, header_rows=2, widths=(1.4, 1.8, 2.2, 1.4, 2.0))


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

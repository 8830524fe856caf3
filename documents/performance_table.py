"""The 绩效目标表 as blocks, in the national 项目支出绩效目标表 layout.

Header rows (项目名称, 主管部门, 实施单位 …), 资金情况 and 资金使用计划 under their group label, 年度总体目标,
then the 一级/二级/三级 indicator grid with 指标值. Everything comes from the schema's section laid out
for the 绩效目标表 (document: performance), so another call's table with other indicators needs no code here.
"""

from calls.schema.model import PERFORMANCE
from calls.schema.report import derived_value
from documents.application_report import cell_text, new_document, rows_table
from documents.content import Cell, Heading, Paragraph, Table

COLUMNS = 6  # the header table: a label and five value columns, so grouped rows can nest a second label


def build(record):
    schema = record.schema
    [section] = schema.sections_for(PERFORMANCE)  # the loader allows one
    doc = new_document(record, "项目支出绩效目标表", "绩效目标表")
    doc.add(Heading("项目支出绩效目标表", 1), Paragraph(f"（{period_heading(record, section)}）", "centre"))
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
            doc.add(rows_table(record, field))
    # Ideographic spaces (U+3000) leave the blanks to write in: HTML would collapse ordinary ones.
    blank = "\u3000"
    signing = f"填报人：{blank * 8}联系电话：{blank * 8}填报日期：{blank * 3}年{blank * 2}月{blank * 2}日"
    doc.add(Paragraph(signing, "muted"))
    return doc


def period_heading(record, section):
    """The 年度 under the title: the years of the table's 实施期限, e.g. 2024—2026年度.

    The 实施期限 is what the table's date fields (起, 止) answer; before they are answered, the call's year.
    """
    years = sorted(
        {int(value[:4]) for f in section.fields if f.type == "date" if _is_date(value := record.data.get(f.key))}
    )
    if not years:
        return f"{record.schema.year}年度"
    first, last = years[0], years[-1]
    return f"{first}年度" if first == last else f"{first}—{last}年度"


def _is_date(value):
    return isinstance(value, str) and len(value) >= 4 and value[:4].isdigit()


def _pair(record, field):
    return [Cell(field.label, colspan=2), Cell(_value(record, field), colspan=COLUMNS - 3, style=_style(field))]


def _style(field):
    return "num" if field.type in {"decimal", "count"} else "long" if field.type == "text_list" else ""


def _value(record, field):
    if field.type == "derived":
        return derived_value(field, record.data, record.context, record.schema)
    return cell_text(record, field.cells[0])

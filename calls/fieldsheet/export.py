"""The schema document as a 字段表 workbook: one sheet per part of the schema, one row per entry.

Only what the document sets is written: an empty cell means "not set", so a default of the loader
never turns into a value on the way back. Text is written as text (never a formula), and the text
columns are formatted as text so what an official types there stays text too.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from calls.fieldsheet.format import (
    ATTACHMENTS,
    BASIC_ITEMS,
    BASICS,
    COLUMN_TYPES,
    COMMITMENT,
    COMMITMENT_LISTS,
    COMMITMENT_PARTS,
    CONDITIONAL,
    COVER_PREFIX,
    EXPERTISE,
    EXPERTISE_KINDS,
    FIELD_COLUMN_KEYS,
    FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    GUIDE,
    HELP,
    META_SHEET,
    NO,
    NOT_PRINTED,
    NOTES,
    PARTS,
    RUBRIC,
    RULE_CATEGORIES,
    RULES,
    SECTIONS,
    SHEET_COLUMNS,
    SOURCE_NAMES,
    STATISTICS,
    SUBJECTS,
    SUMMARY,
    TABLE_COLUMN,
    YES,
    rule_label,
    type_label,
)
from calls.fieldsheet.guide import line_count, write_guide
from calls.schema.model import COUNTERSIGN_POLICIES, ROLES, SECTION_DOCUMENTS
from shenbao.lib.sheets import describe

BODY_FONT = Font(name="宋体", size=10)
HEADING_FONT = Font(name="黑体", size=10, bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DCE6F1")
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
VALIDATED_ROWS = 1000  # drop-downs reach well below the last row, for the rows officials add
FROZEN = {FIELDS: "C2", PARTS: "C2"}  # keep the codes in view while scrolling right
PAGE_WIDTH = 200  # column widths that still read when fitted to one landscape A4 page


def export_fieldsheet(doc: dict) -> bytes:
    """The raw schema document (placeholders kept) as an .xlsx 字段表."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_guide(workbook.create_sheet(GUIDE))
    for name, rows in _tables(doc).items():
        _write_table(workbook.create_sheet(name), name, rows)
    _write_meta(workbook.create_sheet(META_SHEET))
    workbook.active = 0
    describe(workbook, f"字段表 {doc.get('code', '')} {doc.get('version', '')}".strip())
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _tables(doc):
    sections = doc.get("sections") or ()
    fields = [(s.get("key"), f) for s in sections for f in s.get("fields") or ()]
    return {
        BASICS: [{"项目": name, "内容": doc.get(key)} for key, name in BASIC_ITEMS.items()],
        NOTES: [{"内容": note} for note in doc.get("notes") or ()],
        HELP: [{"键": key, "内容": text} for key, text in (doc.get("help") or {}).items()],
        COMMITMENT: list(_commitment_rows(doc.get("commitment") or {})),
        SECTIONS: [_section_row(s) for s in sections],
        FIELDS: [_field_row(section, f) for section, f in fields],
        PARTS: [row for _, f in fields for row in _part_rows(f)],
        ATTACHMENTS: [_slot_row(s) for s in doc.get("attachments") or ()],
        RUBRIC: [_dimension_row(d) for d in doc.get("rubric") or ()],
        STATISTICS: [row for group in doc.get("statistics") or () for row in _figure_rows(group)],
        SUMMARY: [_summary_row(entry) for entry in doc.get("summary") or ()],
        EXPERTISE: list(_expertise_rows(doc.get("expertise") or {})),
        RULES: [_rule_row(category, r) for category in RULE_CATEGORIES for r in doc.get(category) or ()],
    }


def _flag(value):
    return YES if value else NO


def _commitment_rows(commitment):
    for key, name in COMMITMENT_PARTS.items():
        values = commitment.get(key)
        for value in (values or ()) if key in COMMITMENT_LISTS else (values,):
            if value not in (None, ""):  # a part the document leaves out gets no row
                yield {"类别": name, "内容": value}


def _section_row(section):
    row = {"节代码": section.get("key"), "序号": section.get("number"), "标题": section.get("title")}
    row["说明"] = section.get("intro")
    if "document" in section:
        row["打印位置"] = SECTION_DOCUMENTS.get(section["document"], section["document"])
    return row


_FIELD_WRITERS = {
    "type": type_label,
    "required": _flag,
    "allow_none": _flag,
    "per_year": _flag,
    "choices": lambda items: "\n".join(f"{c[0]}={c[1]}" if isinstance(c, list | tuple) else str(c) for c in items),
    "blocks": lambda blocks: "\n".join(f"{answer}={why}" for answer, why in blocks.items()),
    "roles": lambda roles: "、".join(ROLES.get(r, r) for r in roles),
    "source": lambda source: SOURCE_NAMES.get(source, source),
}


def _field_row(section, field):
    row = {"节代码": section, "文档位置": _placement(field), "其他设置": _settings(field)}
    for column in SHEET_COLUMNS[FIELDS]:
        if column.key in field:
            value = field[column.key]
            row[column.heading] = _FIELD_WRITERS.get(column.key, _scalar)(value)
    return row


def _scalar(value):
    return _flag(value) if isinstance(value, bool) else value


def _placement(field):
    lines = [COVER_PREFIX + str(field["cover"])] if field.get("cover") else []
    if field.get("print") is False:
        lines.append(NOT_PRINTED)
    return "\n".join(lines)


def _settings(field):
    lines = []
    for key, value in field.items():
        if key in FIELD_COLUMN_KEYS:
            continue
        if key == "qualitative":
            lines += [f"qualitative.{k}={v}" for k, v in (value or {}).items()]
        elif not (key == "cell_type" and field.get("type") == "matrix" and value == "count"):
            lines.append(f"{key}={_scalar(value)}")  # a matrix's cells are always counts: import says so
    return "\n".join(lines)


def _part_rows(field):
    key = field.get("key")
    for code, name in field.get("rows") or ():
        yield {"字段代码": key, "类别": "矩阵行", "代码": code, "名称": name}
    for column in field.get("columns") or ():
        if isinstance(column, dict):
            yield _table_column_row(key, column)
        else:
            yield {"字段代码": key, "类别": "矩阵列", "代码": column[0], "名称": column[1]}
    for code, title, guidance in field.get("parts") or ():
        yield {"字段代码": key, "类别": "分段", "代码": code, "名称": title, "说明": guidance}


def _table_column_row(field_key, column):
    choices = column.get("choices") or ()
    if isinstance(choices, dict):
        choices = [f"{parent}：{'、'.join(map(str, values))}" for parent, values in choices.items()]
    return {
        "字段代码": field_key,
        "类别": TABLE_COLUMN,
        "代码": column.get("key"),
        "名称": column.get("label"),
        "列类型": COLUMN_TYPES.get(column.get("type"), column.get("type")),
        "选项": "\n".join(map(str, choices)),
        "上级列": column.get("parent"),
        "字数上限": column.get("max_chars"),
    }


def _slot_row(slot):
    required = _flag(slot["required"]) if "required" in slot else (CONDITIONAL if slot.get("required_when") else None)
    return {
        "附件代码": slot.get("key"),
        "名称": slot.get("label"),
        "所在节": slot.get("section"),
        "文件类型": "、".join(slot.get("types") or ()),
        "最多文件数": slot.get("max_files"),
        "必传": required,
        "必传条件": condition_text(slot.get("required_when")),
    }


def condition_text(condition):
    """{field: x, positive: true} → x>0; {field: x, equals: 是} → x=是; {any: [...]} joined with 或."""
    if not condition:
        return None
    if "any" in condition:
        return " 或 ".join(condition_text(c) for c in condition["any"])
    if "equals" in condition:
        return f"{condition.get('field')}={condition['equals']}"
    return f"{condition.get('field')}>0"


def _dimension_row(dimension):
    return {
        "代码": dimension.get("key"),
        "名称": dimension.get("title"),
        "分值": dimension.get("weight"),
        "对应章节": "、".join(dimension.get("sections") or ()),
        "评分要点": dimension.get("guidance"),
    }


def _figure_rows(group):
    for figure in group.get("figures") or ():
        entry = figure if isinstance(figure, dict) else {"field": figure}
        row = {"分组": group.get("title"), "字段代码": entry.get("field"), "图表标签": entry.get("label")}
        if "sum" in entry:
            row["合计"] = _flag(entry["sum"])
        yield row


def _summary_row(entry):
    if isinstance(entry, dict):
        return {"字段代码": entry.get("field"), "列标题": entry.get("heading")}
    return {"字段代码": entry}


def _expertise_rows(expertise):
    if expertise.get("field"):
        yield {"类别": EXPERTISE_KINDS["field"], "值": expertise["field"]}
    for kind in ("choices", "keywords"):
        for value, codes in (expertise.get(kind) or {}).items():
            yield {"类别": EXPERTISE_KINDS[kind], "值": value, "专业领域": "、".join(codes or ())}
    if expertise.get("always"):
        yield {"类别": EXPERTISE_KINDS["always"], "专业领域": "、".join(expertise["always"])}


def _rule_row(category, rule):
    params = []
    for key, value in rule.items():
        if key not in ("kind", "message"):
            params.append(f"{key}={'、'.join(map(str, value)) if isinstance(value, list | tuple) else value}")
    return {
        "类别": RULE_CATEGORIES[category],
        "类型": rule_label(rule.get("kind")),
        "参数": "\n".join(params),
        "提示信息": rule.get("message"),
    }


def put(cell, value):
    """Write a value as it should read back: numbers as numbers, everything else as text, never a formula."""
    if isinstance(value, bool):
        value = _flag(value)
    if isinstance(value, int | float):
        cell.value = value
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters an .xlsx cannot hold
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    cell.number_format = TEXT_FORMAT
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and Excel keeps it text after someone edits the cell


def _write_table(ws, name, rows):
    columns = SHEET_COLUMNS[name]
    for n, column in enumerate(columns, 1):
        _write_heading(ws, n, column)
    heights: dict[int, int] = {}
    for r, row in enumerate(rows, 2):
        for n, column in enumerate(columns, 1):
            value = row.get(column.heading)
            if value is None or value == "":
                continue
            cell = ws.cell(r, n)
            put(cell, value)
            cell.font, cell.alignment = BODY_FONT, WRAP_TOP
            heights[r] = max(heights.get(r, 1), line_count(str(cell.value), column.width))
    for r, lines in heights.items():
        if lines > 1:
            ws.row_dimensions[r].height = min(14 * lines + 4, 300)
    _add_validations(ws, name, columns, rows)
    ws.freeze_panes = FROZEN.get(name, "A2")
    _page_setup(ws, sum(c.width for c in columns))


def _page_setup(ws, width):
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if width <= PAGE_WIDTH:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    else:  # the 字段 sheet is far too wide for one page: print across pages, the codes on each
        ws.print_title_cols = "A:B"


def _write_heading(ws, n, column):
    letter = get_column_letter(n)
    dimension = ws.column_dimensions[letter]
    dimension.width = column.width
    # The column's own style is what Excel gives the cells officials type into later.
    dimension.font, dimension.alignment = BODY_FONT, WRAP_TOP
    if column.kind != "number":
        dimension.number_format = TEXT_FORMAT
    cell = ws.cell(1, n)
    put(cell, column.heading)
    cell.font, cell.fill, cell.border, cell.alignment = HEADING_FONT, HEADING_FILL, BORDER, WRAP_CENTRE
    note = f"{'必填。' if column.required else ''}{column.note}"
    cell.comment = Comment(note, "shenbao", width=280, height=110)


def _add_validations(ws, name, columns, rows):
    for n, column in enumerate(columns, 1):
        if column.choices:
            letter = get_column_letter(n)
            _list_validation(ws, column.choices, f"{letter}2:{letter}{VALIDATED_ROWS}", column.strict)
    if name == BASICS:
        row = 2 + list(BASIC_ITEMS).index("subject")
        _list_validation(ws, SUBJECTS, f"B{row}", strict=False)
        row = 2 + list(BASIC_ITEMS).index("countersign")
        _list_validation(ws, COUNTERSIGN_POLICIES, f"B{row}", strict=True)


def _list_validation(ws, choices, cells, strict):
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle="不是可选的值",
        error=f"请从下拉列表中选择：{'、'.join(choices)}。",
    )
    validation.add(cells)
    ws.add_data_validation(validation)


def _write_meta(ws):
    rows = (("format", FORMAT_NAME), ("version", FORMAT_VERSION), ("说明", "本工作表供平台识别字段表，请勿修改。"))
    for n, (key, value) in enumerate(rows, 1):
        put(ws.cell(n, 1), key)
        put(ws.cell(n, 2), value)
    ws.sheet_state = "veryHidden"

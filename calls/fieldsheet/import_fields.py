"""The 章节, 字段 and 子项 sheets back into the document's sections, their fields and the fields' parts.

Each value lands in the shape the YAML uses (ints, bools, lists, [值, 名称] pairs), and only what a
cell sets is written, so the loader's defaults apply to everything left empty.
"""

import re
from typing import Any

from calls.fieldsheet.cells import KEY_VALUE, as_integer, pick, split_items
from calls.fieldsheet.format import (
    ATTACHMENTS_PAGE,
    COLUMN_TYPES,
    FIELD_COLUMN_KEYS,
    FIELD_SOURCE,
    FIELDS,
    INTEGER_SETTINGS,
    NOT_PRINTED,
    PART_KINDS,
    PARTS,
    SECTIONS,
    SETTINGS,
    SHEET_COLUMNS,
    SOURCES,
    TABLE_COLUMN,
    TYPES,
    type_label,
)
from calls.schema.loader import FIELD_KEYS
from calls.schema.model import ROLES, SECTION_DOCUMENTS, SEP

COVER = re.compile(r"封面\s*[:：]\s*(.+)")
FIELD_REFERENCE = re.compile(r"(?:field|字段)\s*[:：]\s*(\S+)", re.IGNORECASE)
PARENT_CHOICES = re.compile(r"(.+?)\s*[:：]\s*(.*)")
CODE_RULE = "应为英文代码：字母、数字和下划线，不以数字开头，不含连续两个下划线。"
TABLE_ONLY = ("列类型", "选项", "上级列", "字数上限")
# Keys that are neither a column nor a named setting but that the loader reads: written key=value.
FREE_SETTINGS = FIELD_KEYS - FIELD_COLUMN_KEYS - {"qualitative"} - set(SETTINGS)


def is_code(text):
    return text.isidentifier() and SEP not in text


def read_sections(rows, places):
    """The 章节 rows as section mappings (fields still empty), in order."""
    sections: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        key = row.text("节代码", required=True)
        title = row.text("标题", required=True)
        if key is None:
            continue
        if not is_code(key) or key == ATTACHMENTS_PAGE:
            row.fail("节代码", f"{CODE_RULE}不能是 {ATTACHMENTS_PAGE}。")
        if key in first_row:
            row.fail("节代码", f"与第 {first_row[key]} 行重复，每个节代码只能用一次。")
            continue
        first_row[key] = row.row_number
        section = {"key": key}
        _put(section, "number", row.text("序号"))
        _put(section, "title", title)
        _put(section, "document", row.pick("打印位置", SECTION_DOCUMENTS, "打印位置"))
        _put(section, "intro", row.text("说明"))
        section["fields"] = []
        places.add(f"sections[{len(sections)}]", SECTIONS, row.row_number, row.ident)
        sections.append(section)
    return sections


def read_fields(rows, sections, places):
    """Put each 字段 row into its section; the fields by key, each with its loader path."""
    by_key = {s["key"]: (i, s) for i, s in enumerate(sections)}
    fields: dict[str, tuple[dict[str, Any], str | None]] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        field = read_field(row)
        section_key = row.text("节代码", required=True)
        if section_key is not None and section_key not in by_key:
            row.fail("节代码", f"“{section_key}”不是“章节”表中的节代码。")
        key = field.get("key")
        if key in first_row:
            row.fail("字段代码", f"与第 {first_row[key]} 行重复，每个字段代码只能用一次。")
            continue
        if key is None:
            continue
        first_row[key] = row.row_number
        path = None  # a field of no section is reported above; it is still known, so nothing else cascades
        if section_key in by_key:
            i, section = by_key[section_key]
            path = f"sections[{i}].fields[{len(section['fields'])}]"
            places.add(path, FIELDS, row.row_number, row.ident)
            section["fields"].append(field)
        places.add(f"field {key}", FIELDS, row.row_number, row.ident)
        fields[key] = (field, path)
    return fields


def read_field(row):
    field: dict[str, Any] = {}
    key = row.text("字段代码", required=True)
    if key is not None and not is_code(key):
        row.fail("字段代码", CODE_RULE)
    _put(field, "key", key)
    _put(field, "type", row.pick("类型", TYPES, "类型", required=True))
    _put(field, "label", row.text("标签", required=True))
    for column in SHEET_COLUMNS[FIELDS]:
        if column.key and column.key not in ("key", "type", "label"):
            _put(field, column.key, _READERS.get(column.key, _text)(row, column.heading))
    _placement(row, field)
    _settings(row, field)
    if field.get("type") == "matrix":
        field.setdefault("cell_type", "count")  # the only kind of matrix cell: not asked of officials
    return field


def _put(mapping, key, value):
    if value is not None:
        mapping[key] = value


def _text(row, heading):
    return row.text(heading)


def _choices(row, heading):
    """One choice a line: 值=名称 for a [value, label] pair, else the name alone."""
    choices = []
    for line in row.lines(heading):
        parts = KEY_VALUE.split(line, maxsplit=1)
        choices.append(parts if len(parts) == 2 and all(parts) else line)
    return choices or None


def _blocks(row, heading):
    blocks = {}
    for answer, why in row.key_values(heading):
        if answer in blocks:
            row.fail(heading, f"答案“{answer}”写了两次。")
        elif not why:
            row.fail(heading, f"答案“{answer}”后面要写上不能提交的理由（答案=理由）。")
        else:
            blocks[answer] = why
    return blocks or None


def _roles(row, heading):
    roles = []
    for item in row.items(heading):
        role = pick(item, ROLES, "用途", lambda message: row.fail(heading, message))
        if role and role not in roles:
            roles.append(role)
    return roles or None


def _source(row, heading):
    value = row.text(heading)
    if value is None:
        return None
    reference = FIELD_REFERENCE.fullmatch(value)
    if reference:
        return FIELD_SOURCE + reference.group(1)
    return pick(value, SOURCES, "来源", lambda message: row.fail(heading, message + "或 field:字段代码"))


_READERS = {
    "places": lambda row, heading: row.integer(heading),
    "max_chars": lambda row, heading: row.integer(heading, minimum=1),
    "min": lambda row, heading: row.number(heading),
    "max": lambda row, heading: row.number(heading),
    "required": lambda row, heading: row.flag(heading),
    "allow_none": lambda row, heading: row.flag(heading),
    "per_year": lambda row, heading: row.flag(heading),
    "choices": _choices,
    "blocks": _blocks,
    "roles": _roles,
    "source": _source,
}


def _placement(row, field):
    """文档位置: 封面：<标签> (the `cover` key) and/or 不打印 (`print: false`), one a line."""
    for line in row.lines("文档位置"):
        cover = COVER.fullmatch(line)
        if cover:
            field["cover"] = cover.group(1).strip()
        elif line == NOT_PRINTED:
            field["print"] = False
        else:
            row.fail("文档位置", f"“{line}”应为“封面：标签”或“{NOT_PRINTED}”，空白表示随所在的节打印。")


def _settings(row, field):
    aliases = {name: key for key, name in SETTINGS.items()}
    seen = set()
    for key, value in row.key_values("其他设置"):
        key = aliases.get(key, key)
        if key not in SETTINGS and key not in FREE_SETTINGS:
            row.fail("其他设置", f"“{key}”不是可用的设置，应为 {'、'.join(SETTINGS)} 之一。")
        elif key in seen:
            row.fail("其他设置", f"“{key}”写了两次。")
        elif not value:
            row.fail("其他设置", f"“{key}”没有填写值。")
        elif key.startswith("qualitative."):
            field.setdefault("qualitative", {})[key.split(".", 1)[1]] = value
        elif key in INTEGER_SETTINGS:
            number = as_integer(value)
            if number is None:
                row.fail("其他设置", f"“{key}”应为整数，现为“{value}”。")
            else:
                field[key] = number
        else:
            field[key] = value
        seen.add(key)


def read_parts(rows, fields: dict[str, tuple[dict[str, Any], str | None]], places):
    """The 子项 rows into their fields: matrix rows and columns, text_group parts, table columns."""
    first_row: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key, kind = row.text("字段代码", required=True), row.text("类别", required=True)
        code, name = row.text("代码", required=True), row.text("名称", required=True)
        if key is not None and key not in fields:
            row.fail("字段代码", f"“{key}”不是“字段”表中的字段代码。")
        elif kind is not None and kind not in PART_KINDS and kind != TABLE_COLUMN:
            row.fail("类别", f"“{kind}”不是可用的类别，应为 {'、'.join([*PART_KINDS, TABLE_COLUMN])} 之一。")
        elif None not in (key, kind, code, name) and _fits(row, kind, fields[key][0]):
            seen = first_row.setdefault((key, kind), {})
            if code in seen:
                row.fail("代码", f"与第 {seen[code]} 行重复，同一字段的{kind}代码只能用一次。")
                continue
            seen[code] = row.row_number
            _add_part(row, kind, code, name, *fields[key], places)


def _fits(row, kind, field):
    """Whether a 子项 of `kind` belongs to a field of this type, and has only the columns its kind uses."""
    ftype = field.get("type")
    wanted = PART_KINDS.get(kind, (None, "rows"))[1]
    if ftype is None:
        return False  # its 类型 is already reported
    if ftype != wanted:
        row.fail(
            "类别", f"“{kind}”只用于{type_label(wanted)}字段，字段 {field.get('key')} 的类型是{type_label(ftype)}。"
        )
        return False
    unused = [h for h in TABLE_ONLY if row.has(h)] if kind != TABLE_COLUMN else []
    unused += ["说明"] if kind != "分段" and row.has("说明") else []
    for heading in unused:
        row.fail(heading, f"“{kind}”不用填写这一列，请清空。")
    return not unused


def _add_part(row, kind, code, name, field, path, places):
    if kind == TABLE_COLUMN:
        columns = field.setdefault("columns", [])
        if path:
            places.add(f"{path}.columns[{len(columns)}]", PARTS, row.row_number, row.ident)
        columns.append(_table_column(row, code, name))
    elif kind == "分段":
        field.setdefault("parts", []).append([code, name, row.text("说明") or ""])
    else:
        field.setdefault(PART_KINDS[kind][0], []).append([code, name])


def _table_column(row, code, name):
    column = {"key": code, "label": name}
    _put(column, "type", row.pick("列类型", COLUMN_TYPES, "列类型", required=True))
    parent = row.text("上级列")
    if parent and column.get("type") != "choice":
        row.fail("上级列", "只有单选列有上级列。")
    _put(column, "parent", parent)
    if column.get("type") == "choice":
        choices = _parent_choices(row) if parent else row.lines("选项")
        if not choices:
            row.fail("选项", "单选列须填写选项。")
        column["choices"] = choices
    elif row.has("选项"):
        row.fail("选项", "只有单选列有选项，请清空。")
    _put(column, "max_chars", row.integer("字数上限", minimum=1))
    return column


def _parent_choices(row):
    """`上级值：选项1、选项2` lines as {上级值: [选项1, 选项2]}."""
    choices = {}
    for line in row.lines("选项"):
        match = PARENT_CHOICES.fullmatch(line)
        if not match or not split_items(match.group(2)):
            row.fail("选项", f"“{line}”应写成“上级值：选项1、选项2”。")
        elif match.group(1) in choices:
            row.fail("选项", f"上级值“{match.group(1)}”写了两次。")
        else:
            choices[match.group(1)] = split_items(match.group(2))
    return choices

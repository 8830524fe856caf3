"""Rules that look at more than one value: sums, dates in order, names matching counts, indicator rows.

Each rule yields (cell name, message) pairs; the report decides how they are shown.
"""

from decimal import Decimal

from calls.schema.values import NONE_ANSWER, Invalid, count_chars, parse_decimal


def number(data, name):
    """The stored value of a numeric cell as a Decimal, or None when empty, 无 or invalid."""
    value = data.get(name)
    if value in (None, "", NONE_ANSWER) or isinstance(value, list):
        return None
    try:
        return parse_decimal(value, places=6)
    except Invalid:
        return None


def fmt(value):
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


# --- Field-level rules, by field type ---


def named_count(field, data):
    count_cell, names_cell = field.cells
    names = [n for n in data.get(names_cell.name) or [] if n]
    count = number(data, count_cell.name)
    if count is None:
        return
    if count != len(names):
        yield names_cell.name, f"数量填写为 {int(count)} 个，但填写了 {len(names)} 个名称；数量应与名称个数一致。"
    for i, name in enumerate(names, 1):
        if count_chars(name) > 100:
            yield names_cell.name, f"第{i}个名称过长（限100字）。"


def text_list(field, data):
    (cell,) = field.cells
    items = data.get(cell.name) or []
    for i, item in enumerate(items, 1):
        if field.max_chars and count_chars(item) > field.max_chars:
            yield cell.name, f"第{i}项限{field.max_chars}字以内，现有{count_chars(item)}字。"


def text_group_total(field, data):
    total = sum(count_chars(data.get(c.name) or "") for c in field.cells)
    if total > field.max_chars:
        yield field.key, f"全文限{field.max_chars}字以内，现有{total}字，超出{total - field.max_chars}字。"


def rows(field, data):
    """绩效指标 rows: known choices, 二级 under its 一级, a number and unit unless 定性."""
    (cell,) = field.cells
    columns = {c["key"]: c for c in field.columns}
    q = field.qualitative
    for i, row in enumerate(data.get(cell.name) or [], 1):
        if not any(row.values()):
            continue  # a blank row is reported as missing, not as wrong
        for key, col in columns.items():
            value = row.get(key, "")
            if not value:
                continue
            if col["type"] == "text" and col.get("max_chars") and count_chars(value) > col["max_chars"]:
                yield cell.name, f"第{i}行{col['label']}限{col['max_chars']}字以内。"
            if col["type"] != "choice":
                continue
            if col.get("parent"):
                parent = row.get(col["parent"], "")
                allowed = col["choices"].get(parent, [])
                if parent and value not in allowed:
                    parent_label = columns[col["parent"]]["label"]
                    yield cell.name, f"第{i}行{col['label']}“{value}”不属于{parent_label}“{parent}”。"
            elif value not in col["choices"]:
                yield cell.name, f"第{i}行{col['label']}“{value}”不是可选项。"
        if q and row.get(q["column"]) and row.get(q["column"]) != q["value"]:
            value = row.get(q["numeric"], "")
            if value:
                try:
                    parse_decimal(value)
                except Invalid as exc:
                    label = columns[q["numeric"]]["label"]
                    yield cell.name, f"第{i}行{label}应为数值（定性指标请将符号选为“{q['value']}”）：{exc}"


def rows_missing(field, data):
    (cell,) = field.cells
    columns = field.columns
    q = field.qualitative
    items = data.get(cell.name) or []
    for i, row in enumerate(items, 1):
        if not any(row.values()):
            yield cell.name, f"第{i}行为空，请填写或删除。"
            continue
        for col in columns:
            optional = q and col["key"] == q["unit"] and row.get(q["column"]) == q["value"]
            if not row.get(col["key"]) and not optional:
                yield cell.name, f"第{i}行请填写{col['label']}。"
    if field.require_each:
        col = next(c for c in columns if c["key"] == field.require_each)
        present = {row.get(col["key"]) for row in items}
        for choice in col["choices"]:
            if choice not in present:
                yield cell.name, f"{col['label']}“{choice}”下至少填写一项{field.label}。"


def regions(field, data, context):
    (cell,) = field.cells
    for code in data.get(cell.name) or []:
        if code not in context.regions:
            yield cell.name, "参与盟市不正确，请重新选择。"
        elif code == context.lead_region_code:
            yield cell.name, "牵头盟市无需再勾选为参与盟市。"


# --- Schema-level rules ---


def sum_equals(rule, data):
    total = number(data, rule["total"])
    parts = [number(data, p) for p in rule["parts"]]
    if total is None or any(p is None for p in parts):
        return  # incomplete figures are reported as missing, not as a wrong sum
    if sum(parts) != total:
        yield rule["total"], rule["message"].format(total=fmt(total), sum=fmt(sum(parts)))


def date_order(rule, data):
    start, end = data.get(rule["start"]), data.get(rule["end"])
    if start and end and len(start) == len(end) == 10 and end <= start:
        yield rule["end"], rule["message"]


SCHEMA_RULES = {"sum_equals": sum_equals, "date_order": date_order}


def condition_holds(schema, cond, data):
    """Attachment conditions: {field, equals} or {field, positive} or {any: [...]}."""
    if "any" in cond:
        return any(condition_holds(schema, c, data) for c in cond["any"])
    cells = [c for c in schema.fields[cond["field"]].cells if c.kind != "names"]
    if "equals" in cond:
        return any(data.get(c.name) == cond["equals"] for c in cells)
    return any((number(data, c.name) or 0) > 0 for c in cells)

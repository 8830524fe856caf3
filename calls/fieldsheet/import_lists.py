"""The 附件, 评分细则, 统计指标, 汇总表 and 校验规则 sheets back into the document's lists.

A reference to a field or a section that the workbook does not have is reported here, at its row,
rather than left to the loader, so an official sees every such slip at once.
"""

import re
from typing import Any

from calls.fieldsheet.cells import FULL_WIDTH, as_flag, as_scalar, split_items
from calls.fieldsheet.format import (
    ATTACHMENTS,
    ATTACHMENTS_PAGE,
    CONDITIONAL,
    EXPERTISE,
    EXPERTISE_KINDS,
    FILE_TYPE_ORDER,
    LIST_PARAMS,
    OPTIONAL_PARAMS,
    RUBRIC,
    RULE_CATEGORIES,
    RULE_PARAMS,
    RULE_TYPES,
    RULES,
    STATISTICS,
    SUMMARY,
    rule_label,
)
from calls.schema.loader import WARNING_KINDS

# 字段代码>0 / 字段代码=是, several joined by 或 (split only before another condition, so 是或否 stays whole).
OR = re.compile(r"\s*(?:或|\n)\s*(?=[^\s>＞=＝或]+\s*[>＞=＝])")
CONDITION = re.compile(r"(?P<field>[^\s>＞=＝]+)\s*(?P<op>[>＞=＝])\s*(?P<value>.*)")
RULE_CODE = re.compile(r".*[（(]\s*([a-z_]+)\s*[)）]")
FILE_ALIASES = {"jpeg": "jpg"}
ATTACHMENTS_PAGE_NAME = "附件材料"


def read_slots(rows, section_keys, field_keys, places):
    slots: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        slot = {"key": row.text("附件代码", required=True), "label": row.text("名称", required=True)}
        slot["section"] = _slot_section(row, section_keys)
        slot["types"] = _file_types(row)
        if slot["key"] is not None and slot["key"] in first_row:
            row.fail("附件代码", f"与第 {first_row[slot['key']]} 行重复，每个附件代码只能用一次。")
            continue
        first_row[slot["key"]] = row.row_number
        max_files = row.integer("最多文件数", minimum=1)
        if max_files is not None:
            slot["max_files"] = max_files
        _requirement(row, slot, field_keys)
        places.add(f"attachments[{len(slots)}]", ATTACHMENTS, row.row_number, row.ident)
        slots.append(slot)
    return slots


def _slot_section(row, section_keys):
    section = row.text("所在节", required=True)
    if section == ATTACHMENTS_PAGE_NAME:
        return ATTACHMENTS_PAGE
    if section not in (None, ATTACHMENTS_PAGE) and section_keys is not None and section not in section_keys:
        row.fail("所在节", f"“{section}”不是“章节”表中的节代码（attachments 表示最后的“附件材料”页）。")
    return section


def _file_types(row):
    types: list[str] = []
    if row.text("文件类型", required=True) is None:
        return types
    for item in row.items("文件类型"):
        kind = item.lower().lstrip(".")
        kind = FILE_ALIASES.get(kind, kind)
        if kind not in FILE_TYPE_ORDER:
            row.fail("文件类型", f"“{item}”不是可用的文件类型，应为 {'、'.join(FILE_TYPE_ORDER)} 之一。")
        elif kind not in types:
            types.append(kind)
    return types


def _requirement(row, slot, field_keys):
    """必传 是/否 → required; 按条件 (or empty) with a 必传条件 → required_when alone."""
    answer = row.text("必传")
    if answer is not None and answer != CONDITIONAL:
        required = as_flag(answer)
        if required is None:
            row.fail("必传", f"“{answer}”应为 是、否 或 {CONDITIONAL}。")
        else:
            slot["required"] = required
    if row.has("必传条件"):
        condition = _condition(row, field_keys)
        if condition:
            slot["required_when"] = condition
    elif answer == CONDITIONAL:
        row.fail("必传", f"选了“{CONDITIONAL}”，请在“必传条件”中写明条件，如 patents>0。")


def _condition(row, field_keys):
    conditions = []
    for text in OR.split(row.text("必传条件")):
        match = CONDITION.fullmatch(text.strip())
        if not match:
            row.fail("必传条件", f"“{text}”应写成“字段代码>0”或“字段代码=是”，几个条件用“ 或 ”连接。")
            continue
        field, op, value = match.group("field", "op", "value")
        if field_keys is not None and field not in field_keys:
            row.fail("必传条件", f"“{field}”不是“字段”表中的字段代码。")
        elif op in ">＞" and value.translate(FULL_WIDTH).strip() != "0":
            row.fail("必传条件", f"“{text}”：“>”后面只能是 0（该字段大于 0 时必传）。")
        elif op in ">＞":
            conditions.append({"field": field, "positive": True})
        elif not value:
            row.fail("必传条件", f"“{text}”：“=”后面要写上答案，如 {field}=是。")
        else:
            conditions.append({"field": field, "equals": value})
    if len(conditions) > 1:
        return {"any": conditions}
    return conditions[0] if conditions else None


def read_rubric(rows, section_keys, places):
    dimensions: list[dict[str, Any]] = []
    for row in rows:
        dimension = {"key": row.text("代码", required=True), "title": row.text("名称", required=True)}
        dimension["weight"] = row.integer("分值", required=True, minimum=1)
        sections = row.items("对应章节")
        for section in sections:
            if section_keys is not None and section not in section_keys:
                row.fail("对应章节", f"“{section}”不是“章节”表中的节代码。")
        if sections:
            dimension["sections"] = sections
        guidance = row.text("评分要点")
        if guidance is not None:
            dimension["guidance"] = guidance
        places.add(f"rubric[{len(dimensions)}]", RUBRIC, row.row_number, row.ident)
        dimensions.append(dimension)
    return dimensions


def read_statistics(rows, field_keys, places):
    """Consecutive rows of one 分组 make a group; an empty 分组 continues the group above."""
    groups: list[dict[str, Any]] = []
    title = None
    for row in rows:
        title = row.text("分组") or title
        key = _field_reference(row, field_keys)
        if title is None:
            row.fail("分组", "第一行须填写分组的标题。")
            continue
        if not groups or groups[-1]["title"] != title:
            places.add(f"statistics[{len(groups)}]", STATISTICS, row.row_number, row.ident)
            groups.append({"title": title, "figures": []})
        figures = groups[-1]["figures"]
        places.add(f"statistics[{len(groups) - 1}].figures[{len(figures)}]", STATISTICS, row.row_number, row.ident)
        label, additive = row.text("图表标签"), row.flag("合计")
        figure = {"field": key}
        if label is not None:
            figure["label"] = label
        if additive is not None:
            figure["sum"] = additive
        figures.append(figure if len(figure) > 1 else key)
    return groups


def read_summary(rows, field_keys, places):
    entries: list[str | dict[str, str]] = []
    for row in rows:
        key, heading = _field_reference(row, field_keys), row.text("列标题")
        places.add(f"summary[{len(entries)}]", SUMMARY, row.row_number, row.ident)
        entries.append({"field": key, "heading": heading} if heading is not None else key)
    return entries


def _field_reference(row, field_keys):
    key = row.text("字段代码", required=True)
    if key is not None and field_keys is not None and key not in field_keys:
        row.fail("字段代码", f"“{key}”不是“字段”表中的字段代码。")
    return key


def read_expertise(rows, places):
    """The 专家领域 rows as the document's `expertise:` (calls/schema/expertise.py checks the codes)."""
    expertise: dict[str, Any] = {}
    for row in rows:
        kind = row.pick("类别", EXPERTISE_KINDS, "类别", required=True)
        value, codes = row.text("值"), row.items("专业领域")
        if kind == "field":
            if value is None:
                row.fail("值", "主导产业字段须填写单选字段的字段代码。")
            expertise["field"] = value
        elif kind == "always":
            expertise["always"] = codes
        elif kind is not None:
            if value is None:
                row.fail("值", "请填写选项或关键词。")
            expertise.setdefault(kind, {})[value] = codes
        places.add("expertise", EXPERTISE, row.row_number, "")
    return expertise


def read_rules(rows, places):
    """The 校验规则 rows as the document's `rules` (block submission) and `warnings` (ask to check)."""
    found: dict[str, list[dict[str, Any]]] = {category: [] for category in RULE_CATEGORIES}
    for row in rows:
        kind = _rule_kind(row)
        category = row.pick("类别", RULE_CATEGORIES, "类别")
        if kind is None:
            continue
        natural = "warnings" if kind in WARNING_KINDS else "rules"
        if category not in (None, natural):
            row.fail("类别", f"{rule_label(kind)}属于“{RULE_CATEGORIES[natural]}”。")
        rule = {"kind": kind, **_params(row, kind)}
        rule["message"] = row.text("提示信息", required=True)
        places.add(f"{natural}[{len(found[natural])}]", RULES, row.row_number, row.ident)
        found[natural].append(rule)
    return found


def _rule_kind(row):
    text = row.text("类型", required=True)
    if text is None:
        return None
    code = RULE_CODE.fullmatch(text)
    for kind, name in RULE_TYPES.items():
        if text in (kind, name) or (code and code.group(1) == kind):
            return kind
    row.fail("类型", f"“{text}”不是可用的类型，应为 {'、'.join(map(rule_label, RULE_TYPES))} 之一。")
    return None


def _params(row, kind):
    allowed = RULE_PARAMS[kind] + (OPTIONAL_PARAMS if kind in WARNING_KINDS else ())
    params = {}
    for key, value in row.key_values("参数"):
        if key not in allowed:
            row.fail("参数", f"“{key}”不是{rule_label(kind)}的参数，应为 {'、'.join(allowed)} 之一。")
        elif key in params:
            row.fail("参数", f"“{key}”写了两次。")
        elif not value:
            row.fail("参数", f"“{key}”没有填写值。")
        else:
            params[key] = split_items(value) if key in LIST_PARAMS else as_scalar(value)
    missing = [key for key in RULE_PARAMS[kind] if key not in params]
    if missing:
        row.fail("参数", f"{rule_label(kind)}还需要参数 {'、'.join(missing)}。")
    return params

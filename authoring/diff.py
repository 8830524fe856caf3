"""What changed between two revisions of a call's schema, as an official checks it before publishing.

Both revisions are built for the call's year and compared entry by entry: the call's texts, each section,
each field (by its key: added, removed, moved, or which of its settings changed), each attachment slot,
the rubric, the rules and cross-checks, the dashboards' figures and the 汇总表 columns.
"""

from dataclasses import dataclass, fields

from calls.fieldsheet.format import TYPE_NAMES
from calls.schema.model import ROLES, SECTION_DOCUMENTS, Field

ADDED, REMOVED, CHANGED = "新增", "删除", "修改"

# The settings of a field an official reads in the diff, in this order, with their names.
FIELD_SETTINGS = {
    "section": "所在节",
    "label": "标签",
    "type": "类型",
    "unit": "单位",
    "places": "小数位",
    "min": "最小值",
    "max": "最大值",
    "max_chars": "字数上限",
    "required": "必填",
    "allow_none": "可填“无”",
    "per_year": "按年度填报",
    "year_heading": "年度表标题",
    "group": "分组",
    "choices": "选项",
    "blocks": "不符合条件的答案",
    "help": "提示",
    "caption": "提示用全称",
    "default": "默认值",
    "source": "来源",
    "rows": "矩阵行",
    "columns": "列",
    "parts": "分段",
    "item_label": "条目名称",
    "min_items": "最少条目数",
    "qualitative": "定性设置",
    "require_each": "每类至少一行",
    "roles": "用途",
    "cover": "封面标签",
    "printed": "打印",
}
SLOT_SETTINGS = {
    "label": "名称",
    "section": "所在节",
    "types": "文件类型",
    "max_files": "最多文件数",
    "required": "必传",
    "required_when": "必传条件",
}
SECTION_SETTINGS = {"title": "标题", "number": "序号", "intro": "说明", "document": "打印位置"}
DIMENSION_SETTINGS = {"title": "名称", "weight": "分值", "sections": "对应章节", "guidance": "评分要点"}
CALL_SETTINGS = {
    "title": "申报书标题",
    "project_name": "项目名称",
    "department": "主管部门",
    "subject": "申报对象",
    "countersign": "参与盟市会签",
    "notes": "填报说明",
    "commitment": "承诺书",
}
assert set(FIELD_SETTINGS) <= {f.name for f in fields(Field)}  # noqa: S101 -- a renamed Field attribute must be named here


@dataclass(frozen=True)
class Change:
    kind: str  # 新增, 删除, 修改
    subject: str  # what changed: a field's label and key, a slot, a section, the rubric …
    setting: str = ""  # which setting of it, for a 修改
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Group:
    heading: str
    changes: list


def changes(old, new):
    """[Group] of every difference between Schema `old` and Schema `new`; empty when they say the same."""
    groups = [
        Group("批次与承诺书", _setting_changes("申报书", old, new, CALL_SETTINGS)),
        Group("章节", _keyed(_by_key(old.sections), _by_key(new.sections), SECTION_SETTINGS, _section_name)),
        Group("填报项", _keyed(old.fields, new.fields, FIELD_SETTINGS, _field_name, _field_place(old, new))),
        Group("附件", _keyed(_by_key(old.slots), _by_key(new.slots), SLOT_SETTINGS, lambda s: s.label)),
        Group("专家评分细则", _keyed(_by_key(old.rubric), _by_key(new.rubric), DIMENSION_SETTINGS, lambda d: d.title)),
        Group("校验规则与提示", _listed("规则", old.rules, new.rules) + _listed("提示", old.warnings, new.warnings)),
        Group(
            "统计与汇总表",
            _listed("统计指标", old.statistics, new.statistics, _figures)
            + _listed("汇总表列", old.summary, new.summary),
        ),
    ]
    return [group for group in groups if group.changes]


def _by_key(items):
    return {item.key: item for item in items}


def _section_name(section):
    return section.heading


def _field_name(field):
    return f"{field.label}（{field.key}）"


def _field_place(old, new):
    """Where an added or removed field sits, and what kind it is: 四、数字化升级情况 · 比例."""

    def describe(field):
        schema = new if field.key in new.fields else old
        return f"{schema.section_title(field.section)} · {TYPE_NAMES.get(field.type, field.type)}"

    return describe


def _keyed(old, new, settings, name, describe=lambda item: ""):
    found = []
    for key in new:
        if key not in old:
            found.append(Change(ADDED, name(new[key]), new=describe(new[key])))
    for key in old:
        if key not in new:
            found.append(Change(REMOVED, name(old[key]), old=describe(old[key])))
    for key in new:
        if key in old:
            found += _setting_changes(name(new[key]), old[key], new[key], settings)
    return found


def _setting_changes(subject, old, new, settings):
    return [
        Change(CHANGED, subject, label, _text(name, getattr(old, name)), _text(name, getattr(new, name)))
        for name, label in settings.items()
        if getattr(old, name) != getattr(new, name)
    ]


def _listed(what, old, new, shown=lambda item: _text("", item)):
    """Rules, cross-checks, figures and columns have no keys of their own: compared as whole entries."""
    old_texts, new_texts = [shown(item) for item in old], [shown(item) for item in new]
    found = [Change(ADDED, what, new=t) for t in new_texts if t not in old_texts]
    found += [Change(REMOVED, what, old=t) for t in old_texts if t not in new_texts]
    return found


def _figures(group):
    return f"{group.title}：" + "、".join(f"{figure.label}（{figure.key}）" for figure in group.figures)


def _text(setting, value):
    """A setting as an official reads it: 是/否, 用途 and 打印位置 in words, lists joined."""
    if value is None or value == "" or value == () or value == {}:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if setting == "document":
        return SECTION_DOCUMENTS.get(value, value)
    if setting == "type":
        return TYPE_NAMES.get(value, value)
    if setting == "roles":
        return "、".join(ROLES.get(v, v) for v in value)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    if isinstance(value, tuple) and all(isinstance(v, tuple) for v in value):
        return "；".join("=".join(str(x) for x in v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text('', v)}" for k, v in value.items())
    return str(value)

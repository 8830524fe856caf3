"""What a 字段表 looks like: its sheets, their columns, the Chinese words for the schema's codes.

Export, import and the 填写说明 sheet all read these tables, so a column or a word is named once.
"""

from dataclasses import dataclass

from calls.schema.loader import DERIVED_SOURCES, FIELD_TYPES, FILE_TYPES, RULE_KINDS, WARNING_KINDS
from calls.schema.model import SECTION_DOCUMENTS

# The hidden sheet that tells our workbooks from any other; bump the version when columns change meaning.
META_SHEET = "_shenbao"
FORMAT_NAME = "shenbao-fieldsheet"
FORMAT_VERSION = 1

GUIDE, BASICS, NOTES, HELP, COMMITMENT = "填写说明", "基本信息", "填报说明", "提示文本", "承诺书"
SECTIONS, FIELDS, PARTS, ATTACHMENTS = "章节", "字段", "子项", "附件"
RUBRIC, STATISTICS, SUMMARY, RULES = "评分细则", "统计指标", "汇总表", "校验规则"
EXPERTISE = "专家领域"
# The rows of 专家领域 (the schema's `expertise:`, calls/schema/expertise.py), by 类别.
EXPERTISE_KINDS = {"field": "主导产业字段", "choices": "选项", "keywords": "关键词", "always": "通用领域"}
REQUIRED_SHEETS = (BASICS, SECTIONS, FIELDS, COMMITMENT, ATTACHMENTS)
# A column officials may add to any table for their own remarks; import ignores it.
REMARK = "备注"

YES, NO = "是", "否"
CONDITIONAL = "按条件"
COVER_PREFIX = "封面："
NOT_PRINTED = "不打印"
ATTACHMENTS_PAGE = "attachments"  # 所在节 of the slots listed on the form's last page (附件材料)

# Chinese names, in the order the 填写说明 and the error messages list them.
TYPE_NAMES = {
    "text": "文字", "longtext": "长文本", "decimal": "小数", "ratio": "比例", "growth": "增速",
    "count": "整数", "choice": "单选", "yes_no": "是否", "yes_no_na": "是否不涉及", "date": "日期",
    "phone": "电话", "regions": "盟市", "derived": "自动填写", "accept": "确认", "matrix": "标准矩阵",
    "named_count": "名称与数量", "text_list": "条目列表", "rows": "表格", "text_group": "分段长文本",
}  # fmt: skip
SOURCE_NAMES = {
    "lead_region": "牵头盟市",
    "lead_bureau": "盟市工信主管部门",
    "organisation": "申报单位",
    "submitted_at": "申报时间",
    "department": "主管部门",
}
FIELD_SOURCE = "field:"  # a derived field that repeats another field's answer: field:cluster_name
BASIC_ITEMS = {
    "code": "结构代码",
    "version": "结构版本",
    "title": "申报书标题",
    "project_name": "项目名称",
    "department": "主管部门",
    "subject": "申报对象",
    "countersign": "参与盟市会签",  # required | optional | none (calls/schema/model.py)
}
REQUIRED_BASICS = ("code", "version", "title")
SUBJECTS = ("集群", "项目")
COMMITMENT_PARTS = {"heading": "标题", "intro": "引言", "items": "承诺事项", "closing": "结语", "signatures": "签字栏"}
COMMITMENT_LISTS = {"items", "signatures"}
# 子项 categories: the field key they fill and the field type that has them.
PART_KINDS = {"矩阵行": ("rows", "matrix"), "矩阵列": ("columns", "matrix"), "分段": ("parts", "text_group")}
TABLE_COLUMN = "表格列"
COLUMN_TYPES = {"choice": "单选", "text": "文字"}
RULE_CATEGORIES = {"rules": "规则", "warnings": "提示"}
RULE_NAMES = {
    "sum_equals": "合计相等",
    "date_order": "日期先后",
    "per_capita": "人均核对",
    "growth_consistency": "增速核对",
    "ratio_vs_stated": "比值核对",
    "not_above": "不高于",
    "abs_above": "绝对值上限",
}
RULE_PARAMS = {kind: tuple(k for k in keys if k != "message") for kind, keys in {**RULE_KINDS, **WARNING_KINDS}.items()}
OPTIONAL_PARAMS = (
    "when",
    "hint",
)  # when=single_region: only single-盟市 clusters; hint: the computed value shown while typing
LIST_PARAMS = {"parts", "fields"}
# Field keys written in 其他设置 (key=value lines), with their Chinese aliases; qualitative.* fill one mapping.
SETTINGS = {
    "row_heading": "行标题",
    "cell_type": "单元格类型",
    "item_label": "条目名称",
    "min_items": "最少条数",
    "require_each": "每项必填列",
    "qualitative.column": "定性判断列",
    "qualitative.value": "定性取值",
    "qualitative.numeric": "数值列",
    "qualitative.unit": "单位列",
}
INTEGER_SETTINGS = {"min_items"}


def rule_label(kind):
    """How a rule type shows in the 类型 column and its drop-down: 合计相等（sum_equals）."""
    return f"{RULE_NAMES.get(kind, kind)}（{kind}）"


def type_label(code):
    return TYPE_NAMES.get(code, code)


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    note: str  # what goes in it: the header cell's comment and the 填写说明 row
    key: str = ""  # the schema key it holds, when it holds one plainly
    kind: str = "text"  # text (kept as text in Excel), number, flag (是/否), list
    choices: tuple = ()  # the drop-down's values
    required: bool = False
    strict: bool = True  # False: the drop-down suggests, other values are allowed


_FLAG = (YES, NO)
SHEET_COLUMNS = {
    BASICS: (
        Column("项目", 16, "结构代码、结构版本、申报书标题、项目名称、主管部门、申报对象，各一行。", required=True),
        Column("内容", 70, "该项的内容；前三项必填。申报对象为申报页面对一份申报的称呼：集群 或 项目。"),
    ),
    NOTES: (Column("内容", 110, "填报说明的一条，一行一条，按顺序编号印在申请报告前。", required=True),),
    HELP: (
        Column("键", 18, "英文代码（字母、数字、下划线）；字段的“提示”列填这个键即引用这段文字。", required=True),
        Column("内容", 100, "提示文字，可含 {year}、{last_year}。", required=True),
    ),
    COMMITMENT: (
        Column(
            "类别",
            12,
            "标题、引言、承诺事项、结语、签字栏之一。",
            choices=tuple(COMMITMENT_PARTS.values()),
            required=True,
        ),
        Column("内容", 100, "承诺事项和签字栏一行一项，按顺序；标题、引言、结语各一行。", required=True),
    ),
    SECTIONS: (
        Column("节代码", 16, "英文代码，字段表中“节代码”引用它；不能是 attachments。", key="key", required=True),
        Column("序号", 8, "如 一、二；印在标题前（一、基本情况）。可空。", key="number"),
        Column("标题", 30, "节的标题。", key="title", required=True),
        Column("说明", 60, "印在本节开头的说明文字。可空。", key="intro"),
        Column(
            "打印位置",
            14,
            "申请报告正文（空白即此项）、绩效目标表、承诺书、仅在表单中。",
            key="document",
            choices=tuple(SECTION_DOCUMENTS.values()),
        ),
    ),
    FIELDS: (
        Column("节代码", 14, "字段所在的节（“章节”表的节代码）。", required=True),
        Column(
            "字段代码", 22, "英文代码（字母、数字、下划线，不含连续两个下划线），全表唯一。", key="key", required=True
        ),
        Column("标签", 44, "表单和文档上显示的名称，可含 {year}、{last_year}。", key="label", required=True),
        Column("类型", 12, "见“字段类型”一览。", key="type", choices=tuple(TYPE_NAMES.values()), required=True),
        Column("单位", 10, "如 亿元、家、个；比例和增速默认为 %。", key="unit"),
        Column("小数位", 8, "小数保留几位，默认 2。", key="places", kind="number"),
        Column("最小值", 12, "数值下限；日期字段填日期，如 {year}-01-01。比例默认 0。", key="min", kind="number"),
        Column("最大值", 12, "数值上限；日期字段填日期，如 {year}-12-31。比例默认 100。", key="max", kind="number"),
        Column("字数上限", 9, "文字最多几个字；长文本和分段长文本必填。", key="max_chars", kind="number"),
        Column("必填", 7, "是/否；空白为“是”（自动填写的字段为“否”）。", key="required", kind="flag", choices=_FLAG),
        Column(
            "可填“无”",
            9,
            "是/否：无相关情况时可答“无”；文字、长文本、分段长文本默认为是。",
            key="allow_none",
            kind="flag",
            choices=_FLAG,
        ),
        Column(
            "按年度填报",
            10,
            "是：按近三年各填一个值（小数、比例、增速、整数、标准矩阵）。",
            key="per_year",
            kind="flag",
            choices=_FLAG,
        ),
        Column("年度表标题", 20, "按年度填报的字段组成的表，从这一字段起用这个标题。", key="year_heading"),
        Column("分组", 18, "相邻同组的字段在表单和文档中归在这个小标题下。", key="group"),
        Column("选项", 36, "单选字段的选项，一行一个：“值=名称”或只写“名称”。", key="choices", kind="list"),
        Column("提示", 40, "填写提示；也可填“提示文本”表中的键，引用那段文字。", key="help"),
        Column("提示用全称", 28, "标签有歧义时（如“联系人”）在提示和错误信息中使用的全称。", key="caption"),
        Column("默认值", 20, "表单打开时预先填好的值。", key="default"),
        Column(
            "来源",
            18,
            "自动填写字段的来源：牵头盟市、盟市工信主管部门、申报单位、申报时间、主管部门，或 field:字段代码。",
            key="source",
            choices=tuple(SOURCE_NAMES.values()),
            strict=False,
        ),
        Column("不符合条件的答案", 40, "选了就不能提交的答案，一行一个：“答案=理由”。", key="blocks", kind="list"),
        Column(
            "用途", 14, "名称、联系人、联系电话、分类筛选、主要指标，可填多个，用“、”分隔。", key="roles", kind="list"
        ),
        Column(
            "文档位置", 22, "空白：随所在节打印；“封面：标签”：印在封面该标签下；“不打印”：只在表单中。", kind="list"
        ),
        Column("其他设置", 30, "少用的设置，一行一个“键=值”，见“其他设置”一览。", kind="list"),
    ),
    PARTS: (
        Column("字段代码", 22, "这些子项所属的字段。", required=True),
        Column(
            "类别",
            10,
            "矩阵行、矩阵列（标准矩阵）、分段（分段长文本）、表格列（表格）。",
            required=True,
            choices=(*PART_KINDS, TABLE_COLUMN),
        ),
        Column("代码", 16, "英文代码，同一字段内唯一。", required=True),
        Column("名称", 36, "行名、列名、段落标题。", required=True),
        Column("说明", 50, "分段的写作提示。可空。"),
        Column("列类型", 9, "表格列：单选 或 文字。", choices=tuple(COLUMN_TYPES.values())),
        Column("选项", 40, "单选列的选项，一行一个；有上级列时一行写“上级值：选项1、选项2”。", kind="list"),
        Column("上级列", 12, "选项随哪一列的取值而变（该列的代码）。"),
        Column("字数上限", 9, "文字列最多几个字。", kind="number"),
    ),
    ATTACHMENTS: (
        Column("附件代码", 24, "英文代码，全表唯一。", key="key", required=True),
        Column("名称", 44, "上传处显示的名称。", key="label", required=True),
        Column(
            "所在节", 14, "在哪一节上传（节代码）；attachments 表示最后的“附件材料”页。", key="section", required=True
        ),
        Column(
            "文件类型", 24, "pdf、jpg、png、docx、xlsx，可填多个，用“、”分隔。", key="types", kind="list", required=True
        ),
        Column("最多文件数", 10, "默认 10。", key="max_files", kind="number"),
        Column("必传", 9, "是、否、按条件；空白：有必传条件时按条件，否则为是。", choices=(YES, NO, CONDITIONAL)),
        Column("必传条件", 40, "“字段代码>0”或“字段代码=是”；几个条件之一成立即必传时用“ 或 ”连接。"),
    ),
    RUBRIC: (
        Column("代码", 16, "英文代码，全表唯一。", key="key", required=True),
        Column("名称", 20, "评分维度的名称。", key="title", required=True),
        Column("分值", 8, "满分，正整数；各维度合计 100。", key="weight", kind="number", required=True),
        Column("对应章节", 24, "专家评这一维度时阅读的节（节代码），用“、”分隔。", key="sections", kind="list"),
        Column("评分要点", 80, "给专家的评分要点。", key="guidance"),
    ),
    STATISTICS: (
        Column("分组", 16, "统计分组的标题；空白表示与上一行同组。"),
        Column("字段代码", 22, "数值字段（小数、比例、增速、整数）。", required=True),
        Column("图表标签", 30, "图表和统计表中的短名称；空白用字段标签。"),
        Column("合计", 7, "是/否：各申报相加有意义吗；空白：比例和增速为否，其余为是。", kind="flag", choices=_FLAG),
    ),
    SUMMARY: (
        Column("字段代码", 22, "汇总表中一列的字段，按顺序。", required=True),
        Column("列标题", 36, "空白用字段标签；单位自动加在后面。"),
    ),
    EXPERTISE: (
        Column(
            "类别",
            12,
            "主导产业字段（一行，值为单选字段代码）、选项（该字段的一个选项）、关键词（集群名称中的词）、"
            "通用领域（每次抽取都匹配，值空白）。",
            choices=tuple(EXPERTISE_KINDS.values()),
            required=True,
        ),
        Column("值", 24, "字段代码、选项或关键词。"),
        Column("专业领域", 40, "专业领域代码（calls/expertise.py），用“、”分隔。", kind="list"),
    ),
    RULES: (
        Column(
            "类别",
            8,
            "规则：不满足不能提交；提示：只提醒核实。空白按类型判断。",
            choices=tuple(RULE_CATEGORIES.values()),
        ),
        Column("类型", 26, "见“校验规则类型”一览。", choices=tuple(rule_label(k) for k in RULE_NAMES), required=True),
        Column("参数", 44, "一行一个“键=值”；几个字段用“、”分隔。", kind="list"),
        Column("提示信息", 80, "不满足时显示的话；花括号中的占位符（如 {total}）原样保留。", required=True),
    ),
}
TABLE_SHEETS = tuple(SHEET_COLUMNS)  # in workbook order, after 填写说明
# Field keys the 字段 sheet has a column (or the 子项 sheet rows) for; the rest go to 其他设置.
FIELD_COLUMN_KEYS = {c.key for c in SHEET_COLUMNS[FIELDS] if c.key} | {"cover", "print", "rows", "columns", "parts"}


def _complete(names, codes):
    """`names` for the codes the loader knows, plus any newer code under its own name."""
    return {**{c: n for c, n in names.items() if c in codes}, **{c: c for c in sorted(codes - set(names))}}


TYPES = _complete(TYPE_NAMES, FIELD_TYPES)
SOURCES = _complete(SOURCE_NAMES, DERIVED_SOURCES)
RULE_TYPES = _complete(RULE_NAMES, set(RULE_KINDS) | set(WARNING_KINDS))
# The column naming each row in messages: 工作表“字段”第 12 行（字段代码 area）.
IDENTITY = {
    HELP: "键", SECTIONS: "节代码", FIELDS: "字段代码", PARTS: "字段代码", ATTACHMENTS: "附件代码",
    RUBRIC: "代码", STATISTICS: "字段代码", SUMMARY: "字段代码", BASICS: "项目",
}  # fmt: skip

# The loader's file types in the order people name them.
FILE_TYPE_ORDER = tuple(sorted(FILE_TYPES, key=("pdf", "jpg", "png", "docx", "xlsx", *sorted(FILE_TYPES)).index))


class FieldsheetError(Exception):
    """A 字段表 that cannot become a schema; `problems` lists every one, each naming its sheet and row."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def where(sheet, row=None, ident="", column=None):
    """The place a problem is in: 工作表“字段”第 12 行（字段代码 area）“类型”."""
    text = f"工作表“{sheet}”"
    if row is not None:
        text += f"第 {row} 行"
    if ident:
        text += f"（{ident}）"
    if column:
        text += f"“{column}”"
    return text


class Places:
    """Where each entry of an imported document came from, by the path the loader names it with:
    sections[3].fields[7] → 工作表“字段”第 12 行. A path not listed falls back to its parent's place."""

    def __init__(self):
        self._at = {}

    def add(self, path, sheet, row=None, ident=""):
        self._at.setdefault(path, (sheet, row, ident))

    def find(self, path):
        while path:
            if path in self._at:
                return self._at[path]
            if path.endswith("]"):
                path = path[: path.rindex("[")]
            elif "." in path:
                path = path.rsplit(".", 1)[0]
            else:
                return None
        return None

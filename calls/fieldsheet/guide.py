"""The 填写说明 sheet: how an official edits the 字段表, every column and every allowed value.

Built from the same tables the import reads (format.py), so the instructions cannot drift from what
is accepted. Import ignores this sheet.
"""

from openpyxl.styles import Alignment, Font, PatternFill

from calls.fieldsheet.format import (
    GUIDE,
    REMARK,
    REQUIRED_SHEETS,
    RULE_CATEGORIES,
    RULE_NAMES,
    SETTINGS,
    SHEET_COLUMNS,
    SOURCE_NAMES,
    TABLE_SHEETS,
    TYPE_NAMES,
)
from calls.schema.loader import WARNING_KINDS
from calls.schema.model import ROLES, SECTION_DOCUMENTS

TITLE_FONT = Font(name="黑体", size=14, bold=True)
HEADING_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=10)
HEADING_FILL = PatternFill("solid", fgColor="DCE6F1")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WIDTHS = (18, 24, 96)

USAGE = (
    "本工作簿是申报批次的字段表：申报书的每一节、每个字段，以及附件、评分细则、统计指标和校验规则，一行一项。"
    "在申报批次页面下载，修改后在同一页面上传；上传后可以先以申报单位的身份预览表单和文档，再发布。",
    "上传时逐表逐行检查。文件中只要有一处错误，就什么也不保存，并列出每个错误所在的工作表、行和列，改正后重新上传即可。",
    "不要修改工作表的名称和第 1 行的列标题，不要删除隐藏的工作表。可以增加、删除、调换数据行：字段在表中的先后，"
    "就是它在表单和文档中的先后。整行空白的行不读取。",
    f"空白的单元格表示“不设置”，按平台的默认值处理（见下面各列的说明）。可以在任一表的最后加一列“{REMARK}”自用，上传时不读取。",
    "单元格中只填值，不要用公式（以“=”开头的公式会被拒绝）。",
    "文字中的 {year} 表示申报年度，{last_year} 表示上一年度，请连同花括号原样保留："
    "复制到下一年的批次时它们自动变成新的年份。"
    "例如“{year}年内蒙古自治区先进制造业集群项目”在 2024 年的批次中显示为“2024年内蒙古自治区先进制造业集群项目”。",
    "按年度填报的字段填近三年的数据：申报年度为 Y 时为 Y-3、Y-2、Y-1 年（2024 年的批次为 2021、2022、2023 年）。"
    "年份由平台按申报年度生成，不要写进标签。未注明年度的数值指上一年年底的数据。",
    "可填多个值的单元格（用途、对应章节、文件类型、参数中的字段）用“、”“，”或换行分隔；"
    "“选项”“不符合条件的答案”“其他设置”“参数”每行写一项。数字可用全角或半角。",
)

SHEET_PURPOSES = {
    "基本信息": "结构代码、版本、申报书标题、项目名称、主管部门、申报对象、参与盟市会签"
    "（required：推荐前须各参与盟市会签；optional：可会签；none：不会签）。",
    "填报说明": "印在申请报告前的填报说明，一行一条。",
    "提示文本": "几个字段共用的较长提示，字段的“提示”列填它的键。",
    "承诺书": "承诺书的标题、引言、承诺事项、结语和签字栏。",
    "章节": "申报书的各节，按顺序；每节印在哪个文档。",
    "字段": "每个字段一行：所在的节、标签、类型、单位、限值、选项、提示……",
    "子项": "标准矩阵的行和列、分段长文本的各段、表格的各列，一行一项。",
    "附件": "要上传的附件：在哪一节、文件类型、何时必传。",
    "评分细则": "专家评分的维度和分值（合计 100）；发布前须填写。",
    "统计指标": "统计页比较各申报的指标，按分组排列。",
    "汇总表": "汇总表中每份申报一行，这里列出它的各列。",
    "校验规则": "跨字段的规则（不满足不能提交）和提示（只提醒核实）。",
}

TYPE_NOTES = {
    "text": "一行文字（名称、文号等），可设字数上限。",
    "longtext": "多行文字，必须填字数上限。",
    "decimal": "数值，按“小数位”保留小数。",
    "ratio": "百分比，0–100，单位默认为 %。",
    "growth": "增速（百分比），可为负数，单位默认为 %。",
    "count": "不小于 0 的整数（家、个、人）。",
    "choice": "从“选项”中选一项。",
    "yes_no": "是 / 否。",
    "yes_no_na": "是 / 否 / 不涉及。",
    "date": "日期；最小值、最大值可填日期，如 {year}-01-01。",
    "phone": "电话号码。",
    "regions": "参与的盟市（多选）；全表最多一个。",
    "derived": "平台按“来源”自动填写，申报单位不填。",
    "accept": "勾选确认（如承诺）。",
    "matrix": "年度×行×列的数量表（如标准制修订数量），行和列填在“子项”表中，单元格为整数。",
    "named_count": "数量，加上与数量相同个数的名称。",
    "text_list": "若干条文字（如年度目标），可设最少条数（其他设置 min_items）和每条字数上限。",
    "rows": "多行表格（如绩效指标），各列填在“子项”表中（表格列）。",
    "text_group": "分几段写的长文，各段填在“子项”表中（分段）；字数上限为各段合计。",
}

ROLE_NOTES = {
    "title": "各列表和文档以它称呼每份申报；每份结构必须有一个，且为文字字段。",
    "contact_name": "封面和列表中的联系人（文字字段）。",
    "contact_phone": "封面和列表中的联系电话（电话或文字字段）。",
    "category": "统计页按它分类筛选（单选、是否、是否不涉及字段）。",
    "headline": "盟市推荐清单中每份申报显示的数字（数值字段）。",
    "requested": "申请的自治区奖补资金（小数字段，万元）：拟支持金额超过它时须说明理由。",
}

SOURCE_NOTES = {
    "lead_region": "申报单位所属的盟市。",
    "lead_bureau": "牵头盟市的工业和信息化主管部门。",
    "organisation": "申报单位的名称（如集群促进组织）。",
    "submitted_at": "提交时间，提交时自动生成。",
    "department": "“基本信息”中的主管部门。",
}

DOCUMENT_NOTES = {
    "report": "本节的字段印在申请报告正文中。空白即为此项。",
    "performance": "本节的字段印成绩效目标表；最多一节。",
    "commitment": "本节为承诺书页：印“承诺书”表的内容，供签字盖章；最多一节。",
    "form": "本节的字段只在表单中填写，不随节打印（如封面的字段，它们按“文档位置”印在封面上）。",
}

SETTING_NOTES = {
    "row_heading": "标准矩阵左上角的标题，如“类别”。",
    "cell_type": "标准矩阵单元格的类型，只能是 count（整数）；不写即为 count。",
    "item_label": "条目列表每一条的称呼，如“目标”。",
    "min_items": "条目列表至少填几条。",
    "require_each": "表格中这一单选列（列的代码）的每个选项下至少要有一行。",
    "qualitative.column": "表格中的定性指标：判断用的列（如“符号”列的代码）。",
    "qualitative.value": "该列取这个值时为定性指标（如“定性”）。",
    "qualitative.numeric": "非定性指标须填数值的列。",
    "qualitative.unit": "定性指标可以不填的单位列。",
}

RULE_NOTES = {
    "sum_equals": "total=合计字段，parts=各分项字段。合计不等于各项之和时不能提交。占位符 {total} {sum}。",
    "date_order": "start=开始日期字段，end=结束日期字段。结束不晚于开始时不能提交。",
    "per_capita": "stated=填报的人均值，numerator=分子，denominator=分母，scale=倍数（每万人为 10000），"
    "tolerance=rounding（与计算值四舍五入到两位小数一致，即相差不超过 0.005）或允许的相对误差（0.05 即 5%）；"
    "hint=填写时在该栏下显示的计算值，用 {computed} 标出（选填）。"
    "占位符 {stated} {numerator} {denominator} {computed}。",
    "growth_consistency": "values=逐年数值字段，growth=逐年增速字段，tolerance=允许相差的百分点。"
    "占位符 {data_year} {stated} {previous} {current} {computed}。",
    "ratio_vs_stated": "numerator=分子，denominator=分母，stated=填报的比例，tolerance=rounding（相差不超过 0.005）"
    "或允许相差的百分点；hint=填写时显示的计算值，用 {computed} 标出（选填）。"
    "占位符 {data_year} {stated} {numerator} {denominator} {computed}。",
    "not_above": "value=字段，limit=它不应超过的字段；when=single_region 表示只对单一盟市的申报提示。"
    "占位符 {data_year} {value} {limit}。",
    "abs_above": "fields=字段（用“、”分隔），limit=绝对值上限（数字）。占位符 {label} {data_year_suffix} {value}。",
}


def write_guide(ws):
    for n, width in enumerate(WIDTHS, 1):
        ws.column_dimensions["ABC"[n - 1]].width = width
    writer = _Writer(ws)
    writer.title(f"{GUIDE}：如何修改字段表")
    writer.heading("怎样使用")
    for paragraph in USAGE:
        writer.paragraph(paragraph)
    writer.heading("各工作表（可选的表删去或留空即为不设置）", ("工作表", "是否必需", "内容"))
    for name in TABLE_SHEETS:
        writer.row(name, "必需" if name in REQUIRED_SHEETS else "可选", SHEET_PURPOSES.get(name, ""))
    for name in TABLE_SHEETS:
        writer.heading(f"工作表“{name}”的各列", ("列", "是否必填", "说明"))
        for column in SHEET_COLUMNS[name]:
            writer.row(column.heading, "必填" if column.required else "可空", column.note)
    _write_vocabularies(writer)
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _write_vocabularies(writer):
    writer.heading("字段类型（“字段”表的“类型”列，也可填英文代码）", ("名称", "代码", "说明"))
    for code, name in TYPE_NAMES.items():
        writer.row(name, code, TYPE_NOTES.get(code, ""))
    writer.heading("用途（“字段”表的“用途”列；每种用途最多一个字段）", ("名称", "代码", "说明"))
    for code, name in ROLES.items():
        writer.row(name, code, ROLE_NOTES.get(code, ""))
    writer.heading("来源（自动填写字段的“来源”列）", ("名称", "代码", "说明"))
    for code, name in SOURCE_NAMES.items():
        writer.row(name, code, SOURCE_NOTES.get(code, ""))
    writer.row("field:字段代码", "", "与另一字段的答案相同，如在“基本情况”中重复封面的集群名称：field:cluster_name。")
    writer.heading("打印位置（“章节”表）", ("名称", "代码", "说明"))
    for code, name in SECTION_DOCUMENTS.items():
        writer.row(name, code, DOCUMENT_NOTES.get(code, ""))
    writer.heading("文档位置（“字段”表）", ("写法", "", "说明"))
    writer.row("（空白）", "", "随所在的节打印。")
    writer.row(
        "封面：标签", "", "印在申请报告封面该标签下，如“封面：集群名称”；几个字段可用同一标签（联系人及联系电话）。"
    )
    writer.row("不打印", "", "只在表单中填写，任何文档都不打印。可与“封面：…”分两行同时填写。")
    writer.heading("其他设置（“字段”表，一行一个“键=值”，键也可用中文名）", ("键", "中文名", "说明"))
    for key, name in SETTINGS.items():
        writer.row(key, name, SETTING_NOTES.get(key, ""))
    writer.heading("校验规则类型（“校验规则”表）", ("名称", "代码 · 类别", "参数与占位符"))
    for kind, name in RULE_NAMES.items():
        category = RULE_CATEGORIES["warnings" if kind in WARNING_KINDS else "rules"]
        writer.row(name, f"{kind} · {category}", RULE_NOTES.get(kind, ""))


class _Writer:
    """Rows of the guide, top to bottom, with an estimated height for wrapped text."""

    def __init__(self, ws):
        self.ws, self.row_number = ws, 0

    def _next(self):
        self.row_number += 1
        return self.row_number

    def title(self, text):
        n = self._next()
        self.ws.cell(n, 1, text).font = TITLE_FONT
        self.ws.row_dimensions[n].height = 24

    def heading(self, text, columns=None):
        self._next()  # a blank line before each block
        n = self._next()
        cell = self.ws.cell(n, 1, text)
        cell.font = HEADING_FONT
        self.ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=3)
        if columns:
            n = self._next()
            for i, label in enumerate(columns, 1):
                cell = self.ws.cell(n, i, label)
                cell.font, cell.fill = HEADING_FONT, HEADING_FILL

    def paragraph(self, text):
        n = self._next()
        cell = self.ws.cell(n, 1, text)
        cell.font, cell.alignment = BODY_FONT, WRAP_TOP
        cell.data_type = "s"
        self.ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=3)
        self._height(n, [(text, sum(WIDTHS))])

    def row(self, *texts):
        n = self._next()
        for i, text in enumerate(texts, 1):
            cell = self.ws.cell(n, i, text)
            cell.font, cell.alignment = BODY_FONT, WRAP_TOP
            cell.data_type = "s"
        self._height(n, list(zip(texts, WIDTHS, strict=False)))

    def _height(self, n, texts):
        lines = max(line_count(str(text), width) for text, width in texts)
        if lines > 1:
            self.ws.row_dimensions[n].height = 14 * lines + 4


def line_count(text, width):
    """Wrapped lines of `text` in a column `width` characters wide (a Chinese character takes two).

    Excel does not grow a row for wrapped text a program wrote, so the heights are estimated here.
    """
    total = 0
    for line in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)
        total += max(1, -(-units // max(int(width), 1)))
    return total

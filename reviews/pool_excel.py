"""The 专家库 as Excel: export (one row per expert, text kept as text) and import (every row checked by
the page's own form, ExpertForm; a report of each wrong cell in Chinese; nothing imported unless every
row is right).

Columns, in order, are the export's and the import's: an exported workbook imports back unchanged.
"""

from dataclasses import dataclass
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from calls import expertise
from regions.models import Region
from reviews.models import ExpertProfile
from reviews.pool_forms import ExpertForm, ties_text
from shenbao.lib.sheets import TITLE_FONT, StreamedSheet
from shenbao.lib.spreadsheet_text import text_value

TITLE = "专家库"
COLUMNS = (  # (heading, form field, width)
    ("姓名", "full_name", 10),
    ("工作单位", "affiliation", 28),
    ("所在盟市", "region", 12),
    ("职称", "title", 14),
    ("专业领域", "expertise", 28),
    ("手机号码", "mobile", 14),
    ("电子邮箱", "email", 24),
    ("状态", "status", 8),
    ("关联单位", "ties", 40),
    ("备注", "note", 20),
)
HEADINGS = tuple(c[0] for c in COLUMNS)
MAX_ROWS = 2000
STATUS_BY_LABEL = {label: code for code, label in ExpertProfile.Status.choices}


def export_pool(experts):
    """The experts as an XLSX temporary file, rewound: every value is text (a name "=…" stays text)."""
    sheet = StreamedSheet(TITLE, [c[2] for c in COLUMNS], heading_row=3)
    sheet.banner(TITLE, TITLE_FONT)
    sheet.banner("专业领域用“、”分隔；关联单位每行一个：统一社会信用代码 空格 单位名称。导入时按手机号码匹配已有专家。")
    sheet.headings(HEADINGS)
    for expert in experts:
        profile = getattr(expert, "expert_profile", None)
        sheet.values(
            [
                expert.full_name,
                expert.affiliation,
                expert.region.name if expert.region else "",
                profile.title if profile else "",
                expertise.labels(profile.fields) if profile else "",
                expert.mobile,
                expert.email,
                (profile.get_status_display() if profile else "可用"),
                ties_text(profile),
                profile.note if profile else "",
            ],
            [None] * len(COLUMNS),
        )
    return sheet.save()


@dataclass
class ImportResult:
    rows: list  # [(row number, reviews.pool.Entry)]
    problems: list  # Chinese sentences: 第 5 行“专业领域”：…


def _cell(value):
    return text_value(value).strip()


def read_pool(upload):
    """Check every row of an uploaded workbook; `problems` is empty only if every row may be imported."""
    try:
        workbook = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return ImportResult([], ["无法读取这个文件：请上传 Excel 工作簿（.xlsx），可先导出专家库作为模板。"])
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 10))
    header_at = next(
        (i for i, row in enumerate(rows) if tuple(_cell(v) for v in row[: len(HEADINGS)]) == HEADINGS), None
    )
    if header_at is None:
        return ImportResult([], [f"找不到表头行：第一张工作表应有一行依次为“{'、'.join(HEADINGS)}”。"])
    result = ImportResult([], [])
    regions = {r.name: r.pk for r in Region.objects.all()}
    seen: dict[str, int] = {}
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        return ImportResult([], [f"一次最多导入 {MAX_ROWS} 名专家，请分批导入。"])
    for offset, raw in enumerate(body, header_at + 2):
        values = {name: _cell(v) for (_, name, _), v in zip(COLUMNS, raw, strict=False)}
        if not any(values.values()):
            continue
        problems = []
        data = dict(values)
        codes, unknown = expertise.parse(values.get("expertise", ""))
        if unknown:
            problems.append(
                ("专业领域", f"没有这个专业领域：{'、'.join(unknown)}（可选：{expertise.labels(expertise.LABELS)}）")
            )
        data["expertise"] = codes
        region_name = values.get("region", "")
        if region_name and region_name not in regions:
            problems.append(("所在盟市", f"没有这个盟市：{region_name}（区外或自治区本级请留空）"))
        data["region"] = regions.get(region_name, "")
        status = values.get("status") or "可用"
        data["status"] = STATUS_BY_LABEL.get(status, status)
        form = ExpertForm(data)
        if not form.is_valid():
            labels = {name: heading for heading, name, _ in COLUMNS}
            for name, errors in form.errors.items():
                if name == "expertise" and unknown:
                    continue
                for error in errors:
                    problems.append((labels.get(name, ""), str(error)))
        mobile = values.get("mobile", "")
        if mobile in seen:
            problems.append(("手机号码", f"与第 {seen[mobile]} 行重复。"))
        seen.setdefault(mobile, offset)
        for column, message in problems:
            where = f"第 {offset} 行“{column}”" if column else f"第 {offset} 行"
            result.problems.append(f"{where}：{message}")
        if not problems:
            result.rows.append((offset, form.entry()))
    if not result.rows and not result.problems:
        result.problems.append("表中没有专家：请在表头行下逐行填写。")
    return result

"""立项: the 立项通知 to each applicant (DOCX/PDF) and a call's 立项清单 (XLSX/PDF), read from the decisions.

Both are generated from the records whenever asked (the Decision, its 公示 dates and 立项 time, the
latest submitted version's name), so they always say what the platform recorded and never drift from it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from applications.models import Status
from documents.content import Cell, Document, Heading, Paragraph, Table
from documents.summary import generated_at
from shenbao.lib.sheets import HEADING_FONT, NOTE_FONT, TITLE_FONT, StreamedSheet


def _name(application):
    version = application.latest_version
    return application.call.schema.title_of(version.data if version else {}) or application.number


def notice_document(application):
    """立项通知 of one 已立项 application, addressed to its 申报单位."""
    decision = application.decision
    call, schema = application.call, application.call.schema
    name = _name(application)
    department = schema.department or "内蒙古自治区工业和信息化厅"
    established = timezone.localtime(decision.closed_at).date()
    title = f"{schema.project_name}立项通知"
    doc = Document(
        title=title,
        filename=f"{application.number}-立项通知",
        footer=f"{title} · 申报编号 {application.number}",
        verification_code="",  # an issued notice, not a draft: no watermark
    )
    doc.add(
        Heading("立项通知", 1),
        Paragraph(schema.project_name, "centre"),
        Paragraph(f"{application.organisation.name}：", ""),
        Paragraph(
            f"你单位申报的“{name}”（申报编号 {application.number}，牵头盟市 {application.lead_region.name}），"
            f"经{application.lead_region.bureau_name}推荐、专家评审，于 {decision.publicity_starts:%Y年%m月%d日} 至 "
            f"{decision.publicity_ends:%Y年%m月%d日} 公示期满，现予立项，"
            f"安排自治区奖补资金 {decision.amount:.2f} 万元。",
            "indent",
        ),
        Paragraph(
            f"请按照《{call.guide_title}》的要求，对奖补资金设立专账，专项管理、专账核算、专款专用，"
            "按申报书所列绩效目标组织实施，并接受盟市工业和信息化主管部门和我厅的监督检查与绩效评价。",
            "indent",
        ),
        Paragraph("特此通知。", "indent"),
        Paragraph(department, "right"),
        Paragraph(f"{established:%Y年%m月%d日}", "right"),
    )
    return doc


# --- 立项清单 ---


@dataclass(frozen=True)
class Listed:
    number: str
    organisation: str
    name: str
    lead_region: str
    amount: Decimal
    established: str


def establishment_title(call):
    return f"{call.schema.project_name}立项清单"


def establishment_rows(call):
    applications = (
        call.applications.filter(status=Status.APPROVED)
        .select_related("organisation", "lead_region", "decision", "call")
        .with_latest_version("data")
        .order_by("number")
    )
    schema = call.schema
    return [
        Listed(
            number=app.number,
            organisation=app.organisation.name,
            name=schema.title_of(app.latest_version_data or {}) or app.number,
            lead_region=app.lead_region.name,
            amount=app.decision.amount,
            established=f"{timezone.localtime(app.decision.closed_at):%Y-%m-%d}",
        )
        for app in applications
    ]


def _headings(call):
    return ["序号", "申报编号", "申报单位", call.schema.title_label, "牵头盟市", "奖补资金（万元）", "立项日期"]


def _total(rows):
    return sum((r.amount for r in rows), Decimal("0.00"))


def _note(call, rows, now):
    total = f"{_total(rows):.2f}"
    return f"共立项 {len(rows)} 个{call.schema.subject}，奖补资金合计 {total} 万元。生成时间：{generated_at(now)}。"


def establishment_xlsx(call, now=None):
    rows = establishment_rows(call)
    sheet = StreamedSheet("立项清单", [6, 18, 26, 26, 10, 14, 12], heading_row=3)
    sheet.banner(establishment_title(call), TITLE_FONT)
    sheet.banner(f"批次：{call.name}", HEADING_FONT)
    sheet.headings(_headings(call))
    places = [0, None, None, None, None, 2, None]
    for index, r in enumerate(rows, 1):
        sheet.values([index, r.number, r.organisation, r.name, r.lead_region, r.amount, r.established], places)
    sheet.values(["", "合计", "", "", "", _total(rows), ""], places)
    sheet.banner(_note(call, rows, now), NOTE_FONT)
    return sheet.save()


def establishment_document(call, now=None):
    rows = establishment_rows(call)
    title = establishment_title(call)
    table = [[Cell(h, header=True) for h in _headings(call)]]
    for index, r in enumerate(rows, 1):
        table.append(
            [Cell(str(index), style="centre"), Cell(r.number), Cell(r.organisation), Cell(r.name),
             Cell(r.lead_region), Cell(f"{r.amount:.2f}", style="num"), Cell(r.established, style="centre")]
        )  # fmt: skip
    if not rows:
        table.append([Cell("本批次尚无立项的项目。", colspan=7, style="centre")])
    table.append([Cell("合计", colspan=5, style="centre"), Cell(f"{_total(rows):.2f}", style="num"), Cell("")])
    doc = Document(
        title=title,
        filename=f"{call.code}-立项清单",
        footer=f"{title} · 生成时间 {generated_at(now)}",
        verification_code="",
        landscape=True,
    )
    doc.add(
        Heading(title, 1),
        Paragraph(f"批次：{call.name}", "centre"),
        Table(table, header_rows=1, widths=(5, 16, 24, 24, 9, 11, 10)),
        Paragraph(_note(call, rows, now), "muted"),
    )
    return doc

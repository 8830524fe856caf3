"""公示: what the public page lists and the 公示 text the department posts on its website (DOCX).

A 公示 in China publishes the list of what is to be supported — 申报单位, the project's name, its 盟市
and the 拟支持 amount — with the period, how to object (实名, in writing, by a date) and whom to contact;
never scores, experts' names or opinions. The page and the DOCX say the same from the same entries.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from documents.content import Cell, Document, Heading, Paragraph, Table
from reviews import objections


@dataclass(frozen=True)
class Entry:
    application: object
    number: str
    name: str
    organisation: str
    lead_region: str
    amount: Decimal
    starts: date
    ends: date
    is_open: bool  # objections are taken today

    @property
    def period(self):
        return f"{self.starts:%Y年%m月%d日} 至 {self.ends:%Y年%m月%d日}"


@dataclass(frozen=True)
class CallPublicity:
    call: Any  # calls.models.Call
    entries: tuple

    @property
    def title(self):
        return publicity_title(self.call)

    @property
    def total_amount(self):
        return sum((e.amount for e in self.entries), Decimal("0.00"))

    @property
    def common_period(self):
        """The one 公示 period all entries share, or "" when they differ (each row then carries its own)."""
        periods = {e.period for e in self.entries}
        return periods.pop() if len(periods) == 1 else ""

    @property
    def intro(self):
        schema = self.call.schema
        return (
            f"根据《{self.call.guide_title}》，经申报单位申报、盟市推荐、专家评审，"
            f"拟支持以下 {len(self.entries)} 个{schema.subject}，现予以公示。"
        )

    @property
    def name_label(self):
        return self.call.schema.title_label


def publicity_title(call):
    return f"关于{call.schema.project_name}拟支持名单的公示"


def objection_rules():
    """How to object, as the 公示 says it (page and DOCX alike)."""
    contact = objections.contact()
    reach = "；".join(
        part for part in (f"联系电话：{contact['phone']}" if contact["phone"] else "",
                          f"地址：{contact['address']}" if contact["address"] else "") if part
    )  # fmt: skip
    reach = f"（{reach}）" if reach else ""
    return [
        f"公示期间，任何单位或个人对公示内容有异议的，可在公示期内以书面形式向{contact['department']}{reach}"
        "实名提出，也可在本平台“公示”页面在线提出。",
        "以单位名义提出的，应加盖本单位公章；以个人名义提出的，应签署真实姓名并注明工作单位和联系方式。"
        "异议应写明事实和理由，并提供必要的证明材料。匿名、超出公示期或无具体事实的异议不予受理。",
    ]


def entry(application, today=None):
    """One application in 公示 as the public sees it; its name from the latest submitted version."""
    decision = application.decision
    data = getattr(application, "latest_version_data", None)
    if data is None:
        version = application.latest_version
        data = version.data if version else {}
    return Entry(
        application=application,
        number=application.number,
        name=application.call.schema.title_of(data) or application.number,
        organisation=application.organisation.name,
        lead_region=application.lead_region.name,
        amount=decision.amount,
        starts=decision.publicity_starts,
        ends=decision.publicity_ends,
        is_open=objections.is_open(application, today),
    )


def by_call(applications, today=None):
    """`applications` (in 公示) grouped by call, newest call first, each in 申报编号 order."""
    today = today or timezone.localdate()
    groups: dict = {}
    for app in applications.with_latest_version("data").order_by("-call__year", "call__code", "number"):
        groups.setdefault(app.call, []).append(entry(app, today))
    return [CallPublicity(call, tuple(entries)) for call, entries in groups.items()]


def publicity_document(publicity, today=None):
    """The 公示 text for the department's website, as a documents.content.Document (DOCX or PDF)."""
    today = today or timezone.localdate()
    headings = ["序号", "申报单位", publicity.name_label, "牵头盟市", "拟支持金额（万元）"]
    widths = [6, 28, 28, 12, 14]
    if not publicity.common_period:
        headings.append("公示期")
        widths.append(22)
    rows = [[Cell(h, header=True) for h in headings]]
    for index, e in enumerate(publicity.entries, 1):
        cells = [Cell(str(index), style="centre"), Cell(e.organisation), Cell(e.name), Cell(e.lead_region),
                 Cell(f"{e.amount:.2f}", style="num")]  # fmt: skip
        if not publicity.common_period:
            cells.append(Cell(e.period))
        rows.append(cells)
    if not publicity.entries:
        rows.append([Cell("本批次当前没有公示中的项目。", colspan=len(headings), style="centre")])
    rows.append(
        [
            Cell("合计", colspan=4, style="centre"),
            Cell(f"{publicity.total_amount:.2f}", style="num"),
            *([Cell("")] if not publicity.common_period else []),
        ]
    )
    department = publicity.call.schema.department or objections.contact()["department"]
    doc = Document(
        title=publicity.title,
        filename=f"{publicity.call.code}-公示",
        footer=publicity.title,
        verification_code="",  # published text, not a draft: no watermark, no verification code
    )
    doc.add(Heading(publicity.title, 1), Paragraph(publicity.intro, "indent"))
    if publicity.common_period:
        doc.add(Paragraph(f"公示期：{publicity.common_period}。", "indent"))
    doc.add(Table(rows, header_rows=1, widths=tuple(widths)))
    doc.add(*[Paragraph(text, "indent") for text in objection_rules()])
    doc.add(Paragraph(department, "right"), Paragraph(f"{today:%Y年%m月%d日}", "right"))
    return doc

"""评审结果汇总表: a call's scored applications, the list an officer takes to the 党组会, as XLSX, PDF and DOCX.

One row per application whose experts have finished (待决定, 公示中, 已立项, 未通过): 申报编号, 申报单位,
its name, lead 盟市, each expert's total (anonymous, in order of assignment), the final score by
reviews.scoring (the trimmed mean), the rank by that score, the 拟支持 amount and the 公示 dates. The
rows are read from the records, never typed; the three formats carry the same rows (`ResultRow.cells`).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from applications.models import Status
from documents.content import Cell, Document, Heading, Paragraph, Table
from documents.summary import as_text, generated_at
from reviews import scoring
from reviews.models import ExpertReview
from shenbao.lib.sheets import HEADING_FONT, NOTE_FONT, TITLE_FONT, StreamedSheet

TITLE_SUFFIX = "评审结果汇总表"
AMOUNT_PLACES = 2


@dataclass(frozen=True)
class ResultRow:
    number: str
    organisation: str
    name: str
    lead_region: str
    totals: tuple  # Decimal per expert who submitted, in order of assignment
    result: scoring.Result
    rank: int | None
    status_label: str
    amount: Decimal | None  # 拟支持 (万元); None when not (yet) supported
    publicity: str  # "2024-06-01 至 2024-06-07", or ""

    @property
    def mean(self):
        return self.result.mean


@dataclass(frozen=True)
class Results:
    call: Any  # calls.models.Call
    title: str
    name_label: str  # 集群名称, 项目名称
    rows: tuple
    experts: int  # the most experts any row has: the number of 专家 columns
    generated_at: str

    @property
    def total_amount(self):
        return sum((r.amount for r in self.rows if r.amount is not None), Decimal("0.00"))

    @property
    def supported(self):
        return sum(1 for r in self.rows if r.amount is not None)

    def headings(self):
        experts = [f"专家{i}总分" for i in range(1, self.experts + 1)]
        return [
            "排名",
            "申报编号",
            "申报单位",
            self.name_label,
            "牵头盟市",
            *experts,
            "最终得分",
            "状态",
            "拟支持金额（万元）",
            "公示期",
        ]

    def values(self, row):
        """One row's values in heading order; an expert column a row has no score for is blank."""
        totals = [*row.totals, *[None] * (self.experts - len(row.totals))]
        publicity = row.publicity
        return [row.rank, row.number, row.organisation, row.name, row.lead_region, *totals, row.mean,
                row.status_label, row.amount, publicity]  # fmt: skip

    def places(self):
        return [0, None, None, None, None, *[scoring.SCORE_PLACES] * self.experts, 2, None, AMOUNT_PLACES, None]

    @property
    def note(self):
        return (
            f"最终得分：{scoring.TRIM_FROM} 名及以上专家评分的，去掉一个最高分和一个最低分后取平均分；"
            f"不足 {scoring.TRIM_FROM} 名的取平均分。按最终得分排名，得分相同的名次相同。"
            f"共 {len(self.rows)} 个{self.call.schema.subject}，拟支持 {self.supported} 个，"
            f"拟支持金额合计 {self.total_amount} 万元。生成时间：{self.generated_at}。"
        )


def results_title(call):
    return f"{call.schema.project_name}{TITLE_SUFFIX}"


def publicity_text(decision):
    if decision is None or decision.publicity_starts is None:
        return ""
    return f"{decision.publicity_starts:%Y-%m-%d} 至 {decision.publicity_ends:%Y-%m-%d}"


def _ranks(means):
    """Competition ranking ("1224"): equal scores share a rank, the next rank skips; no score, no rank."""
    ordered = sorted((m for m in means if m is not None), reverse=True)
    return [ordered.index(m) + 1 if m is not None else None for m in means]


def build_results(call, now=None):
    """The 评审结果汇总表 of `call`, as of now: scored applications, best final score first."""
    submitted = ExpertReview.objects.filter(status=ExpertReview.Status.SUBMITTED).order_by("assigned_at", "pk")
    applications = (
        call.applications.filter(status__in=Status.scored())
        .select_related("organisation", "lead_region", "decision", "call")
        .prefetch_related(Prefetch("expert_reviews", queryset=submitted, to_attr="scored_reviews"))
        .with_latest_version("data")
        .order_by("number")
    )
    schema = call.schema
    partial = []
    for app in applications:
        reviews = app.scored_reviews
        result = scoring.aggregate({r.pk: r.total for r in reviews})
        decision = getattr(app, "decision", None)
        supported = decision if decision is not None and decision.supports and not app.is_not_supported else None
        partial.append(
            (
                app,
                tuple(r.total for r in reviews),
                result,
                supported.amount if supported else None,
                publicity_text(supported) if supported else "",
            )
        )
    ranks = _ranks([result.mean for _, _, result, _, _ in partial])
    rows = [
        ResultRow(
            number=app.number,
            organisation=app.organisation.name,
            name=schema.title_of(app.latest_version_data or {}) or app.number,
            lead_region=app.lead_region.name,
            totals=totals,
            result=result,
            rank=rank,
            status_label=app.get_status_display(),
            amount=amount,
            publicity=publicity,
        )
        for (app, totals, result, amount, publicity), rank in zip(partial, ranks, strict=True)
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.number))
    return Results(
        call=call,
        title=results_title(call),
        name_label=schema.title_label,
        rows=tuple(rows),
        experts=max((len(r.totals) for r in rows), default=0),
        generated_at=generated_at(now),
    )


# --- XLSX ---

WIDTHS = {"排名": 6, "申报编号": 18, "申报单位": 24, "牵头盟市": 10, "最终得分": 9, "状态": 8}


def results_xlsx(results):
    """The 评审结果汇总表 as an XLSX temporary file, rewound; text stays text (shenbao/lib/sheets.py)."""
    headings = results.headings()
    widths = [WIDTHS.get(h, 9 if h.startswith("专家") else 24) for h in headings]
    widths[headings.index("拟支持金额（万元）")] = 12
    widths[-1] = 24
    sheet = StreamedSheet(TITLE_SUFFIX, widths, heading_row=3)
    sheet.banner(results.title, TITLE_FONT)
    sheet.banner(f"批次：{results.call.name}", HEADING_FONT)
    sheet.headings(headings)
    places = results.places()
    for row in results.rows:
        sheet.values(results.values(row), places)
    total = ["合计", *[""] * (len(headings) - 3), results.total_amount, ""]
    sheet.values(total, [None] * (len(headings) - 2) + [AMOUNT_PLACES, None])
    sheet.banner(results.note, NOTE_FONT)
    return sheet.save()


# --- PDF and DOCX: the same blocks ---


def results_document(results):
    headings = results.headings()
    places = results.places()
    numeric = {i for i, p in enumerate(places) if p is not None}
    rows = [[Cell(h, header=True) for h in headings]]
    for row in results.rows:
        values = results.values(row)
        rows.append(
            [
                Cell(as_text(v, p), style="num" if i in numeric and i else ("centre" if i == 0 else ""))
                for i, (v, p) in enumerate(zip(values, places, strict=True))
            ]
        )
    if not results.rows:
        rows.append([Cell("本批次尚无完成专家评审的申报。", colspan=len(headings), style="centre")])
    rows.append(
        [
            Cell("合计", colspan=len(headings) - 2, style="centre"),
            Cell(as_text(results.total_amount, AMOUNT_PLACES), style="num"),
            Cell(""),
        ]
    )
    widths = [5, 13, 17, 17, 8, *[6] * results.experts, 7, 7, 10, 12]
    doc = Document(
        title=results.title,
        filename=f"{results.call.code}-{TITLE_SUFFIX}",
        footer=f"{results.title} · 生成时间 {results.generated_at}",
        verification_code="",  # a working list, not a draft: no watermark, no verification code
        landscape=True,
    )
    doc.add(
        Heading(results.title, 1),
        Paragraph(f"批次：{results.call.name}", "centre"),
        Table(rows, header_rows=1, widths=tuple(widths)),
        Paragraph(results.note, "muted"),
    )
    return doc


def results_text(results):
    """Every cell as printed, for tests and the screen: (headings, [[text, ...], ...])."""
    places = results.places()
    return results.headings(), [
        [as_text(v, p) for v, p in zip(results.values(row), places, strict=True)] for row in results.rows
    ]

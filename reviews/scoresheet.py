"""专家评分表: one application's expert scores, read from the ExpertReview rows, never typed.

The same content drives the 自治区's scoring page, the XLSX and the PDF: one row per expert who
submitted (its score per rubric dimension, total, and a blank for the signature), the mean of each
dimension, the final score by the rule of reviews.scoring, then the experts excluded, recused or
still scoring, and each expert's opinion.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Value, When
from openpyxl.utils import get_column_letter

from documents.pdf import render_pdf
from documents.summary import generated_at
from reviews import scoring
from reviews.models import ExpertReview
from shenbao.lib.sheets import BODY_FONT, BORDER, HEADING_FONT, NOTE_FONT, TITLE_FONT, WRAP_LEFT, StreamedSheet

TITLE = "专家评分表"
OUTLIER_NOTE = f"与其他专家平均分相差超过 {scoring.OUTLIER_POINTS:.0f} 分，请关注"
MEAN_PLACES = 2
# XLSX widths in characters: 序号, 专家姓名, 工作单位, one per dimension, 总分, 签字.
FIXED_WIDTHS = (6, 10, 24)
DIMENSION_WIDTH = 11
TOTAL_WIDTH = 9
SIGNATURE_WIDTH = 14
LINE_HEIGHT = 14  # points per line of 10 pt text in the XLSX
SIGNATURE_HEIGHT = 32


@dataclass(frozen=True)
class ExpertLine:
    """One expert's part: who, where things stand, and (once submitted) the scores and opinion."""

    review: ExpertReview
    name: str
    affiliation: str
    region: str
    status: str
    status_label: str
    scores: tuple  # Decimal or None per rubric dimension, in rubric order
    total: Decimal | None
    comments: tuple  # (dimension title, comment) for each dimension commented on
    opinion: str
    note: str  # why excluded or recused; what is still awaited
    is_outlier: bool

    @property
    def submitted(self):
        return self.status == ExpertReview.Status.SUBMITTED


@dataclass(frozen=True)
class ScoreSheet:
    application: object
    number: str
    name_label: str  # 集群名称, 项目名称: what the call calls an application's name
    name: str
    organisation: str
    lead_region: str
    participating_regions: str
    version_number: int | None
    dimensions: tuple  # calls.schema.rubric.Dimension
    lines: tuple  # every expert assigned, in order of assignment
    result: scoring.Result
    dimension_means: tuple  # Decimal or None per dimension
    plain_mean: Decimal | None  # the mean of every submitted total, before any trimming
    generated_at: str

    title = TITLE
    outlier_note = OUTLIER_NOTE

    @property
    def dimension_columns(self):
        """(dimension, its mean score) in rubric order."""
        return list(zip(self.dimensions, self.dimension_means, strict=True))

    @property
    def scored(self):
        return [line for line in self.lines if line.submitted]

    @property
    def not_scored(self):
        return [line for line in self.lines if not line.submitted]

    @property
    def awaiting(self):
        """Experts who may still score: assigned and not yet declared, or scoring."""
        return [line for line in self.lines if line.review.is_pending]

    @property
    def aggregation_note(self):
        count = self.result.count
        if not count:
            return "尚无专家提交评分。"
        if self.result.trimmed:
            return f"共 {count} 名专家评分，去掉一个最高分和一个最低分后取平均分。"
        return f"共 {count} 名专家评分，取平均分（不足 {scoring.TRIM_FROM} 名专家评分，不去掉最高分和最低分）。"


def _note(review):
    if review.status == ExpertReview.Status.EXCLUDED:
        return f"规则回避：{review.exclusion_reason}"
    if review.status == ExpertReview.Status.REMOVED:
        return review.exclusion_reason
    if review.status == ExpertReview.Status.RECUSED:
        return f"声明存在利益冲突：{review.conflict_statement}" if review.conflict_statement else "声明存在利益冲突"
    if review.status == ExpertReview.Status.ASSIGNED:
        return "尚未作出利益冲突声明"
    if review.status == ExpertReview.Status.SCORING:
        return "评分中，尚未提交"
    return ""


def _line(review, dimensions, outliers):
    expert = review.expert
    submitted = review.status == ExpertReview.Status.SUBMITTED
    scores = tuple(Decimal(review.scores[d.key]) if submitted and d.key in review.scores else None for d in dimensions)
    comments = tuple((d.title, review.comments.get(d.key, "")) for d in dimensions if review.comments.get(d.key))
    return ExpertLine(
        review=review,
        name=expert.full_name or expert.username,
        affiliation=expert.affiliation,
        region=expert.region.name if expert.region else "",
        status=review.status,
        status_label=review.get_status_display(),
        scores=scores,
        total=review.total if submitted else None,
        comments=comments if submitted else (),
        opinion=review.opinion if submitted else "",
        note=_note(review),
        is_outlier=review.pk in outliers,
    )


def _mean(values):
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def build(application, now=None):
    """The 专家评分表 of `application`, as of now, against the rubric of the version the experts score."""
    # Those who scored first, then those excluded, recused or still at work, each in order of assignment.
    order = Case(
        When(status=ExpertReview.Status.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    reviews = list(
        application.expert_reviews.select_related("expert__region", "version").order_by(order, "assigned_at", "pk")
    )
    version = reviews[0].version if reviews else application.latest_version
    schema = version.schema if version else application.schema
    dimensions = schema.rubric
    result = scoring.result_of(application)
    lines = tuple(_line(r, dimensions, result.outliers) for r in reviews)
    data = version.data if version else application.data
    participating = application.participating_regions.exclude(pk=application.lead_region_id).order_by("code")
    return ScoreSheet(
        application=application,
        number=application.number,
        name_label=schema.title_label,
        name=schema.title_of(data) or application.title,
        organisation=application.organisation.name,
        lead_region=application.lead_region.name,
        participating_regions="、".join(r.name for r in participating),
        version_number=version.number if version else None,
        dimensions=dimensions,
        lines=lines,
        result=result,
        dimension_means=tuple(result.dimension_means.get(d.key) for d in dimensions),
        plain_mean=_mean([line.total for line in lines if line.submitted and line.total is not None]),
        generated_at=generated_at(now),
    )


def heading_line(sheet):
    version = f"第{sheet.version_number}版" if sheet.version_number else "—"
    return (
        f"申报编号：{sheet.number}　{sheet.name_label}：{sheet.name}　申报单位：{sheet.organisation}　"
        f"牵头盟市：{sheet.lead_region}　评审版本：{version}"
    )


# --- XLSX ---


def _merge(target, first_column, last_column):
    """Merge the next row's cells from `first_column` to `last_column` (1-based)."""
    row = target.rows + 1
    target.sheet.merged_cells.add(f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}")


def _height(target, text, first_column, last_column, widths):
    """Set the next row's height so wrapped text in merged cells shows whole (Excel does not grow them)."""
    room = max(sum(widths[first_column - 1 : last_column]) - 2, 10)
    # A Chinese character takes about two width units of a column.
    lines = sum(max(1, math.ceil(sum(2 if ord(c) > 0x2E7F else 1 for c in part) / room)) for part in text.split("\n"))
    target.sheet.row_dimensions[target.rows + 1].height = max(lines, 1) * LINE_HEIGHT + 4


def scoresheet_xlsx(sheet):
    """The 专家评分表 as an XLSX temporary file, rewound; scores are numbers (1 decimal, means 2)."""
    dims = len(sheet.dimensions)
    widths = [*FIXED_WIDTHS, *[DIMENSION_WIDTH] * dims, TOTAL_WIDTH, SIGNATURE_WIDTH]
    columns = len(widths)
    total_column = len(FIXED_WIDTHS) + dims + 1
    target = StreamedSheet(TITLE, widths, heading_row=3)
    target.banner(TITLE, TITLE_FONT)
    _height(target, heading_line(sheet), 1, columns, widths)
    target.banner(heading_line(sheet), HEADING_FONT)
    target.sheet.row_dimensions[target.rows + 1].height = SIGNATURE_HEIGHT
    target.headings(
        [
            "序号",
            "专家姓名",
            "工作单位",
            *[f"{d.title}\n（满分 {d.weight} 分）" for d in sheet.dimensions],
            "总分",
            "签字",
        ]
    )
    score_places = [0, None, None, *[scoring.SCORE_PLACES] * dims, scoring.SCORE_PLACES, None]
    for index, line in enumerate(sheet.scored, 1):
        target.sheet.row_dimensions[target.rows + 1].height = SIGNATURE_HEIGHT  # room to sign by hand
        target.values([index, line.name, line.affiliation, *line.scores, line.total, ""], score_places)
    if not sheet.scored:
        _merge(target, 1, columns)
        target.values(["尚无专家提交评分。", *[""] * (columns - 1)], [None] * columns)
    mean_places = [None, None, None, *[MEAN_PLACES] * dims, MEAN_PLACES, None]
    target.values(["", "各项平均分", "", *sheet.dimension_means, sheet.plain_mean, ""], mean_places)
    _merge(target, 3, total_column - 1)
    target.values(
        ["", "最终得分", sheet.aggregation_note, *[""] * dims, sheet.result.mean, ""],
        [None, None, None, *[None] * dims, MEAN_PLACES, None],
    )
    if sheet.not_scored:
        target.banner("")
        target.banner("回避及未提交评分的专家", HEADING_FONT)
        for index, line in enumerate(sheet.not_scored, 1):
            _merge(target, 4, columns)
            target.values(
                [index, line.name, line.affiliation, line.note, *[""] * (columns - 4)], [0, *[None] * (columns - 1)]
            )
    target.banner("")
    target.banner("专家评审意见", HEADING_FONT)
    for index, line in enumerate(sheet.scored, 1):
        text = _opinion_text(line)
        _height(target, text, 3, columns, widths)
        _merge(target, 3, columns)
        target.append(
            [
                target.value(index, 0),
                target.value(line.name, None),
                target.text(text, "opinion", font=BODY_FONT, alignment=WRAP_LEFT, border=BORDER),
                *[target.value("", None) for _ in range(columns - 3)],
            ]
        )
    target.banner("")
    target.banner(
        f"{sheet.aggregation_note}生成时间：{sheet.generated_at}。本表由平台根据专家提交的评分生成。", NOTE_FONT
    )
    return target.save()


def _opinion_text(line):
    parts = [f"总体意见：{line.opinion}"]
    parts += [f"{title}：{comment}" for title, comment in line.comments]
    return "\n".join(parts)


# --- PDF ---


def scoresheet_pdf(sheet):
    """The 专家评分表 as PDF bytes, A4 landscape, with a blank for each expert's signature. Its subject names
    the application and how many experts scored it, as a records system lists it."""
    scored = sum(1 for line in sheet.lines if line.submitted)
    subject = f"申报编号 {sheet.number} · {sheet.name} · {scored} 位专家已评分"
    return render_pdf("print/scoresheet.html", {"sheet": sheet, "heading": heading_line(sheet)}, subject=subject)

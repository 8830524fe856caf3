"""Expert scores against the call's rubric: checking a score sheet, and aggregating the experts' totals.

Aggregation (PRODUCT.md §5): the mean of the totals, dropping the highest and the lowest when five
or more experts scored; an expert whose total differs from the mean of the others' by more than 20
points is flagged for the 自治区 to look at.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from calls.schema.values import MAX_CELL_LENGTH, Invalid, clean_text, over_limit, parse_decimal

SCORE_PLACES = 1
TRIM_FROM = 5  # with this many scores or more, the highest and the lowest are dropped
OUTLIER_POINTS = Decimal(20)
COMMENT_MAX_CHARS = 500
OPINION_MAX_CHARS = 1000


@dataclass
class ScoreSheet:
    """What an expert typed, checked: canonical scores, comments, opinion, and the message per field."""

    scores: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    opinion: str = ""
    errors: dict = field(default_factory=dict)  # field name ("score_scale", "opinion") -> message


def read_sheet(rubric, data, complete):
    """Check the posted score sheet. `complete` (on submit) also requires every score and the opinion."""
    sheet = ScoreSheet()
    for dimension in rubric:
        raw = clean_text(data.get(f"score_{dimension.key}", ""))
        comment = clean_text(data.get(f"comment_{dimension.key}", ""))
        if raw:
            try:
                number = parse_decimal(raw, places=SCORE_PLACES, minimum=0, maximum=dimension.weight)
                sheet.scores[dimension.key] = str(number)
            except Invalid as exc:
                sheet.errors[f"score_{dimension.key}"] = f"{dimension.title}：{exc}（满分 {dimension.weight} 分）"
        elif complete:
            sheet.errors[f"score_{dimension.key}"] = f"请为“{dimension.title}”打分（0–{dimension.weight} 分）。"
        if problem := over_limit("评语", comment, COMMENT_MAX_CHARS):
            sheet.errors[f"comment_{dimension.key}"] = problem
        # Kept whole (up to the cell bound), even over the limit: the expert trims it, nothing typed is lost.
        sheet.comments[dimension.key] = comment[:MAX_CELL_LENGTH]
    sheet.opinion = clean_text(data.get("opinion", ""))[:MAX_CELL_LENGTH]
    if problem := over_limit("总体意见", sheet.opinion, OPINION_MAX_CHARS):
        sheet.errors["opinion"] = problem
    elif complete and not sheet.opinion:
        sheet.errors["opinion"] = "请填写总体评审意见。"
    return sheet


@dataclass(frozen=True)
class Result:
    """The aggregate of one application's submitted scores."""

    count: int
    mean: Decimal | None  # the final score: trimmed mean when TRIM_FROM or more scored
    trimmed: bool
    dimension_means: dict  # dimension key -> plain mean over every submitted score
    outliers: frozenset  # keys (e.g. review pks) of experts flagged as far from the others


def _round(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def aggregate(totals, dimension_scores=None):
    """`totals` maps an expert key to its total; `dimension_scores` maps it to {dimension: score}."""
    values = sorted(totals.values())
    count = len(values)
    if not count:
        return Result(0, None, False, {}, frozenset())
    trimmed = count >= TRIM_FROM
    kept = values[1:-1] if trimmed else values
    mean = _round(sum(kept, Decimal(0)) / len(kept))
    outliers = set()
    if count >= 2:
        for key, total in totals.items():
            others = [v for k, v in totals.items() if k != key]
            if abs(total - sum(others, Decimal(0)) / len(others)) > OUTLIER_POINTS:
                outliers.add(key)
    by_dimension: dict[str, list[Decimal]] = {}
    for scores in (dimension_scores or {}).values():
        for dimension, score in scores.items():
            by_dimension.setdefault(dimension, []).append(Decimal(score))
    dimension_means = {k: _round(sum(v, Decimal(0)) / len(v)) for k, v in by_dimension.items()}
    return Result(count, mean, trimmed, dimension_means, frozenset(outliers))


def result_of(application):
    """The aggregate over the experts who submitted scores for this application."""
    from reviews.models import ExpertReview

    submitted = application.expert_reviews.filter(status=ExpertReview.Status.SUBMITTED)
    return aggregate({r.pk: r.total for r in submitted}, {r.pk: r.scores for r in submitted})

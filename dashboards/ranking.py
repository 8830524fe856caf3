"""Where one application stands among its call's submitted applications, figure by figure.

Only a rank and a share are given, never another applicant's figures, so a 盟市 reviewer may see it
for an application it reviews. Each figure is ranked on its last year (or its single value), against
the latest submitted version of every other non-draft application of the same call, in every 盟市.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models.fields.json import KeyTextTransform

from applications.models import Application
from calls.schema.statistics import StatFigure
from dashboards.figures import latest_versions, number, ranked_cell, rounded, stat_figures


@dataclass(frozen=True)
class Standing:
    figure: StatFigure
    cell: str  # the cell ranked: output__2023, patents_per_10k
    value: Decimal | None  # this version's value; None for 无 or empty
    rank: int | None  # 1 = the highest value; equal values share a rank (1, 2, 2, 4); None without a value
    count: int  # applications with a value for this cell, this one included when it has one
    percentile: int | None  # share of the others at or below this value, 0–100; None without a value or others


def standing(application, version):
    """For each figure of the call's `statistics:`, how `version` of `application` ranks in its call."""
    schema = application.call.schema
    figures = stat_figures(schema)
    if not figures:
        return []
    cells = [ranked_cell(schema, figure) for figure in figures]
    others = Application.objects.filter(call_id=application.call_id).exclude(pk=application.pk)
    columns = {f"cell{i}": KeyTextTransform(name, "data") for i, name in enumerate(cells)}
    rows = list(latest_versions(others).annotate(**columns).values_list(*columns))
    data = version.data if version is not None else {}
    result = []
    for i, (figure, cell) in enumerate(zip(figures, cells, strict=True)):
        values = [v for v in (number(row[i]) for row in rows) if v is not None]
        result.append(_standing(figure, cell, number(data.get(cell)), values))
    return result


def _standing(figure, cell, value, others):
    if value is None:
        return Standing(figure, cell, None, None, len(others), None)
    higher = sum(1 for v in others if v > value)
    at_or_below = len(others) - higher
    percentile = int(rounded(Decimal(100 * at_or_below) / len(others), 0)) if others else None
    return Standing(figure, cell, value, higher + 1, len(others) + 1, percentile)

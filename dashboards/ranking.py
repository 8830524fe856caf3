"""Where one application stands among its call's submitted applications, figure by figure.

Only a rank and a share are given, never another applicant's figures, so a 盟市 reviewer may see it
for an application it reviews. Each figure is ranked on its last year (or its single value), against
the latest submitted version of every other non-draft application of the same call, in every 盟市.
The others are counted by the database on the index of their figures (dashboards/models.py): three
queries, however many applications the call has.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Subquery

from applications.models import Application, Status
from calls.models import Call
from calls.schema.statistics import StatFigure
from dashboards.figures import ranked_cell, stat_figures
from dashboards.models import FigureValue
from dashboards.statistics import number, rounded
from dashboards.store import scaled


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
    schema = application.schema
    figures = stat_figures(schema)
    if not figures:
        return []
    cells = [ranked_cell(schema, figure) for figure in figures]
    data = version.data if version is not None else {}
    values = [number(data.get(cell)) for cell in cells]
    counted, higher = _call_counts(application, cells, values)
    return [
        _standing(figure, cell, value, counted[cell], higher.get(cell))
        for figure, cell, value in zip(figures, cells, values, strict=True)
    ]


def _call_counts(application, cells, values):
    """({cell: other applications with a value}, {cell: those above `values`}), in three queries.

    Every value of the call is counted on the (call, cell, scaled) index alone; then the few not to
    count — this application's own and those of drafts (withdrawn ones) — are read and taken away.
    """
    call_values = FigureValue.objects.filter(call_id=application.call_id)  # a constant: the planner uses the index
    counts = {}
    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        counts[f"n{i}"] = _count(call_values.filter(cell=cell))
        if value is not None:
            counts[f"higher{i}"] = _count(call_values.filter(cell=cell, scaled__gt=scaled(value)))
    found = Call.objects.filter(pk=application.call_id).annotate(**counts).values(*counts).first() or {}
    counted = {cell: found.get(f"n{i}") or 0 for i, cell in enumerate(cells)}
    higher = {cell: found.get(f"higher{i}") or 0 for i, cell, value in _with_values(cells, values)}
    not_counted = Application.objects.filter(call_id=application.call_id).filter(
        Q(status=Status.DRAFT) | Q(pk=application.pk)
    )
    ids = list(not_counted.values_list("pk", flat=True))
    threshold = {cell: scaled(value) for _, cell, value in _with_values(cells, values)}
    for cell, value in FigureValue.objects.filter(application_id__in=ids, cell__in=cells).values_list("cell", "scaled"):
        counted[cell] -= 1
        if cell in threshold and value > threshold[cell]:
            higher[cell] -= 1
    return counted, higher


def _with_values(cells, values):
    return [(i, cell, value) for i, (cell, value) in enumerate(zip(cells, values, strict=True)) if value is not None]


def _count(values):
    """How many `values` there are, as a subquery: one range of the (call, cell, scaled) index."""
    return Subquery(values.order_by().values("call_id").annotate(n=Count("*")).values("n"))


def _standing(figure, cell, value, others, higher):
    """`others` applications have a value for `cell`; `higher` of them a value above this one."""
    if value is None:
        return Standing(figure, cell, None, None, others, None)
    at_or_below = others - higher
    percentile = int(rounded(Decimal(100 * at_or_below) / others, 0)) if others else None
    return Standing(figure, cell, value, higher + 1, others + 1, percentile)

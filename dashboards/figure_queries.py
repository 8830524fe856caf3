"""What a figure table reads from the database, and how: which applications count, their fingerprint, every cell's
statistics, and rows in any column's order.

Every query reads the indexed copies of the latest submitted figures (dashboards/models.py), never a
version's JSON, and each costs the same for 10,000 applications as for ten. The same queries run on
PostgreSQL and SQLite but one: every cell's statistics, where PostgreSQL's ordered-set aggregate is
measurably faster than the window query SQLite needs (cell_totals). Text ordered by code point is
spelled per database inside one expression, CodePointOrder.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import NotSupportedError, connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Case,
    Count,
    F,
    FilteredRelation,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import Collate, RowNumber

from applications.models import Status
from dashboards.models import SCALE, FigureValue
from dashboards.statistics import number


def counted(applications):
    """The applications a dashboard counts: not drafts, with at least one submitted version.

    An application has a version exactly when it has SubmittedFigures (written with each version,
    dashboards/store.py): a join on its primary key, made once however often this is applied.
    """
    return applications.exclude(status=Status.DRAFT).filter(submitted_figures__isnull=False)


def of_category(applications, category):
    """`applications` whose latest submitted version answers the schema's `category` field (主导产业所属产业类型)
    with `category`.

    The filter reads the version (its copy in SubmittedFigures), not the live record: a returned
    application being edited still counts under what it last submitted.
    """
    return applications.filter(submitted_figures__category=category)


class CodePointOrder(Collate):
    """Text compared by code point, as Python compares strings: SQLite's BINARY collation (its default), and
    PostgreSQL's "C" (its locale's collation orders differently, and made grouping 550,000 cell names a
    third slower)."""

    def __init__(self, expression):
        super().__init__(expression, "C")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation="BINARY", **extra_context)


def fingerprint(scope):
    """(figures stamp, state, lead 盟市) of every application of `scope`, sorted: what its figure table shows
    changes exactly when this does (a stamp is new at each write of an application's figures)."""
    return sorted(scope.values_list("submitted_figures__stamp", "status", "lead_region_id"))


def values_of(scope, cells, ids=None):
    """The FigureValues of `cells` of the applications of `scope`, or only of those with `ids`."""
    values = FigureValue.objects.filter(cell__in=cells)
    if ids is None:
        return values.filter(application__in=scope.values("pk"))
    return values.filter(application_id__in=ids)


def unscaled(value):
    """A stored `scaled` value (or a sum of them) as the Decimal it stands for (dashboards.models.SCALE)."""
    return Decimal(int(value)).scaleb(-SCALE)


@dataclass(frozen=True)
class CellTotals:
    """What the database found of one cell's values."""

    count: int
    total: Decimal
    minimum: Decimal
    maximum: Decimal
    middle: list  # the middle value (twice, from PostgreSQL) or the middle two: their mean is the median


def cell_totals(values):
    """cell -> CellTotals of `values` (FigureValues), in one query.

    Two ways, measured (docs/performance.md § FigureTable split): PostgreSQL groups by cell and finds
    the middle with its ordered-set aggregate; SQLite, which has none, numbers the values within their
    cell and reads back the middle rows. The window query also runs on PostgreSQL, with the same
    results (dashboards/tests/test_figure_queries.py), but took 2.8× as long there at 1,000
    applications (median 631 against 224 ms, run in turn on the same data); on SQLite it replaced two
    queries (the grouped one and one for the middles) at about the same cost.
    """
    if connection.vendor == "postgresql":
        return _grouped_totals(values)
    return _numbered_totals(values)


class MiddleValues(Aggregate):
    """PostgreSQL only: the two middle values of a group, sorted once (percentile_disc finds the value at
    position ceil(f × n)). f = 0.5 is the lower middle of an even n and the middle of an odd one; the
    next fraction, 10⁻¹⁰ above it, moves to the upper middle of an even n and stays on an odd one's,
    for any n below 10⁹."""

    function = "percentile_disc"
    template = "%(function)s(ARRAY[0.5, 0.5000000001]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(BigIntegerField())

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("MiddleValues needs PostgreSQL's ordered-set aggregates.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


def _grouped_totals(values):
    grouped = values.values(code_point_cell=CodePointOrder(F("cell"))).annotate(
        n=Count("pk"), total=Sum("scaled"), low=Min("scaled"), high=Max("scaled"), middle=MiddleValues("scaled")
    )
    return {
        item["code_point_cell"]: CellTotals(
            item["n"],
            unscaled(item["total"]),
            unscaled(item["low"]),
            unscaled(item["high"]),
            # An odd count's middle comes twice: the same value, whose mean is itself.
            [unscaled(value) for value in item["middle"]],
        )
        for item in grouped.order_by()
    }


def _numbered_totals(values):
    """Each value numbered within its cell in value order; only the middle one or two read back, each
    carrying its cell's count, sum, minimum and maximum: one sort of every value."""
    cell = CodePointOrder(F("cell"))
    over_cell = {"partition_by": [cell]}
    numbered = values.annotate(
        position=Window(RowNumber(), partition_by=[cell], order_by=[F("scaled").asc()]),
        n=Window(Count("pk"), **over_cell),
        total=Window(Sum("scaled"), **over_cell),
        low=Window(Min("scaled"), **over_cell),
        high=Window(Max("scaled"), **over_cell),
    )
    middle = numbered.filter(position__gte=(F("n") + 1) / 2, position__lte=(F("n") + 2) / 2)
    found = {}
    for name, n, total, low, high, value in middle.values_list("cell", "n", "total", "low", "high", "scaled"):
        if name not in found:
            found[name] = CellTotals(n, unscaled(total), unscaled(low), unscaled(high), [])
        found[name].middle.append(unscaled(value))
    return found


@dataclass(frozen=True)
class FigureRow:
    application_id: int
    number: str
    title: str  # the answer to the field its schema marks as the title
    lead_region_name: str
    status: str
    status_label: str
    values: dict  # cell name -> Decimal, or None where the answer was 无 or empty


def _order_by(scope, sort, descending, cells):
    """(scope, ORDER BY) for one column, as groups.sorted_rows orders them: equal values in 申报编号 order,
    and rows without a value last whichever the direction."""
    by_number = CodePointOrder(F("number"))
    if sort == "number":
        return scope, [by_number.desc() if descending else by_number.asc()]
    if sort == "title":
        by = CodePointOrder(F("submitted_figures__title"))
    elif sort == "region":
        by = CodePointOrder(F("lead_region__name"))
    elif sort == "status":
        by = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(Status.official())), default=Value(99))
    elif sort in cells:
        scope = scope.annotate(sorted_by=FilteredRelation("figure_values", condition=Q(figure_values__cell=sort)))
        by = F("sorted_by__scaled")
    else:
        raise ValueError(f"no column {sort}")
    return scope, [by.desc(nulls_last=True) if descending else by.asc(nulls_last=True), by_number.asc()]


def ordered_rows(scope, cells, sort, descending, offset=0, limit=None):
    """FigureRows of `scope` with `cells`, ordered by `sort`, from `offset` (`limit` of them, or all): two queries."""
    source, order = _order_by(scope, sort, descending, cells)
    fixed = source.order_by(*order).values_list(
        "pk", "number", "submitted_figures__title", "lead_region__name", "status"
    )
    fixed = list(fixed[offset : offset + limit] if limit is not None else fixed[offset:])
    if not fixed:
        return []
    values = {}
    ids = [item[0] for item in fixed] if limit is not None else None
    for application_id, cell, raw in values_of(scope, cells, ids).values_list("application_id", "cell", "raw"):
        values.setdefault(application_id, {})[cell] = number(raw)
    return [
        FigureRow(
            application_id=pk,
            number=application_number,
            title=title or "",
            lead_region_name=region_name,
            status=status,
            status_label=Status(status).label,
            values={name: values.get(pk, {}).get(name) for name in cells},
        )
        for pk, application_number, title, region_name, status in fixed
    ]

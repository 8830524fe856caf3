"""The figures the call schema names for its dashboards, from each application's latest submitted version.

What is counted (docs/dashboards.md): applications that are not drafts and have at least one submitted
version, each once, with the figures of its highest-numbered version. Those figures are copied into
indexed rows when the version is frozen (dashboards/models.py, dashboards/store.py), so the database
adds, counts, sorts and pages them: a page of the figure table costs the same few queries for
10,000 applications as for ten, and never reads a version's JSON. What they compute is cached under
the scope's fingerprint, so it is computed again exactly when what it depends on changes: the
statistics under every application's figures stamp (a submission, a resubmission or a withdrawal
back to draft changes them; a review step does not), the rows under the stamps, states and 盟市
they show. Each result is also kept as the scope's last computed one, with its time: a page that
allows it (`stale_ok`, the dashboard) shows that after a change and computes afresh once it has been
sent (`refresh`, dashboards.views.RefreshAfterResponse); a download never does.
"""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import NotSupportedError, connection
from django.db.models import Aggregate, BigIntegerField, Case, Count, F, FilteredRelation, Max, Min, Q, Sum, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Collate, RowNumber
from django.utils import timezone

from applications.models import Application, Status
from calls.schema.values import NONE_ANSWER
from dashboards.models import SCALE, FigureValue

# Every state a submitted application can be in, in workflow order (a withdrawn one is a draft again).
COUNTED_STATUSES = tuple(s for s in Status if s != Status.DRAFT)
# Bump when what is cached changes shape or meaning; an hour bounds what a renamed 盟市 could leave behind.
CACHE_FORMAT = 3
CACHE_SECONDS = 3600
# How long one process may take to compute a stale part before another may start on it too.
REFRESH_CLAIM_SECONDS = 120
# A mean or a median of whole numbers (企业数量) keeps one decimal: 0.4 家 says more than 0 家.
COUNT_AVERAGE_PLACES = 1


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


def stat_figures(schema):
    """Every figure of the schema's `statistics:` groups, in order."""
    return [figure for group in schema.statistics for figure in group.figures]


def cell_names(schema, figure):
    """The cells of a figure: one per year for a per-year figure (output__2021 …), else the field key."""
    return [cell.name for cell in schema.fields[figure.key].cells]


def ranked_cell(schema, figure):
    """The one cell a figure is ranked on: the last year of a per-year figure, or its single value."""
    return schema.column(figure.key)[0].name


def number(raw):
    """A stored value as a number; 无, empty or anything not a number is None (no value)."""
    if raw is None or raw == "" or raw == NONE_ANSWER or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rounded(value, places):
    """四舍五入 to `places` decimals, as statistical tables round."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def average_places(figure):
    return COUNT_AVERAGE_PLACES if figure.is_count else figure.places


@dataclass(frozen=True)
class Stats:
    count: int  # applications with a value (无 and empty are not values)
    total: Decimal | None  # None for a figure with no 合计 (ratios, growth rates, per-unit figures)
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


def stats_of(values, figure):
    """count, 合计, mean, median, min and max of the values present, rounded 四舍五入 as docs/dashboards.md says."""
    present = sorted(v for v in values if v is not None)
    count = len(present)
    if not count:
        return Stats(0, None, None, None, None, None)
    total = sum(present, Decimal(0))
    middle = count // 2
    median = present[middle] if count % 2 else (present[middle - 1] + present[middle]) / 2
    places = average_places(figure)
    return Stats(
        count=count,
        total=rounded(total, figure.places) if figure.additive else None,
        mean=rounded(total / count, places),
        median=rounded(median, places),
        minimum=rounded(present[0], figure.places),
        maximum=rounded(present[-1], figure.places),
    )


@dataclass(frozen=True)
class FigureRow:
    application_id: int
    number: str
    title: str  # the answer to the field its schema marks as the title
    lead_region_name: str
    status: str
    status_label: str
    values: dict  # cell name -> Decimal, or None where the answer was 无 or empty


def codepoint_order(expression):
    """Text ordered by code point, as Python compares strings: PostgreSQL's collation may not be (SQLite's is)."""
    return Collate(expression, "C") if connection.vendor == "postgresql" else expression


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


def scaled_to_decimal(value):
    return Decimal(int(value)).scaleb(-SCALE)


class FigureTable:
    """One row per counted application in 申报编号 order, with every figure of `schema.statistics`.

    Nothing is read until asked for, and then in a fixed number of queries: the statistics of every
    cell at once, a page of rows in any column's order, or (for a download) every row.
    """

    def __init__(self, schema, applications=None, stale_ok=False):
        self.schema = schema
        self.applications = applications
        # A page may show what was last computed for its scope and compute it afresh after it is sent
        # (`stale`, `refresh`); a download never does.
        self.stale_ok = stale_ok
        self._stale = {}  # cache key -> (the scope's last-computed key, compute)
        self.computed_at = None  # when the oldest stale part shown was computed; None when all are current
        self.figures = stat_figures(schema)
        self.cells = [name for figure in self.figures for name in cell_names(schema, figure)]
        self._figure_of = {name: f for f in self.figures for name in cell_names(schema, f)}
        self._stats = None
        self._rows = None
        self._count = None
        self._key = self._figures_key = self._scope_name = None
        self._ordered = {}

    def figure_of(self, cell_name):
        return self._figure_of[cell_name]

    def column_headings(self, figure):
        """(cell name, heading with the unit) for each column of a figure: a year each, or just one."""
        unit = f"（{figure.unit}）" if figure.unit else ""
        columns = []
        for cell in self.schema.fields[figure.key].cells:
            year = f"{cell.year}年" if cell.year else ""
            columns.append((cell.name, f"{year}{figure.label}{unit}"))
        return columns

    # --- What is read, and how ---

    def _scope(self):
        """The counted applications that have figures: never a draft (a withdrawn one is a draft again)."""
        if self.applications is None:
            return Application.objects.none()
        return self.applications.exclude(status=Status.DRAFT).filter(submitted_figures__isnull=False).order_by()

    def _values_of(self, ids=None):
        values = FigureValue.objects.filter(cell__in=self.cells)
        if ids is None:
            return values.filter(application__in=self._scope().values("pk"))
        return values.filter(application_id__in=ids)

    def _fingerprint(self, figures_only=False):
        """The cache key of what this table holds: one query for every row's figures stamp, state and 盟市.

        A stamp is new at each write of an application's figures (dashboards.store), so two scopes
        with the same stamps hold the same figures (`figures_only`: what the statistics depend on),
        and with the same states and 盟市 too, the same rows.
        """
        if self._key is None:
            rows = sorted(self._scope().values_list("submitted_figures__stamp", "status", "lead_region_id"))
            self._count = len(rows)
            self._key = self._hashed("rows", rows)
            self._figures_key = self._hashed("figures", [stamp for stamp, _, _ in rows])
        return self._figures_key if figures_only else self._key

    def _hashed(self, kind, rows):
        named = repr((CACHE_FORMAT, kind, self.schema.code, self.schema.digest, self.cells, rows))
        return f"dashboards:figures:{hashlib.sha256(named.encode()).hexdigest()}"

    def _scope_key(self, part):
        """The cache key of what was last computed for this scope and part, whatever its figures were then:
        the scope is named by its SQL (the user's 盟市 and the filters are in it), not by its stamps."""
        if self._scope_name is None:
            try:
                sql = str(self._scope().query)
            except EmptyResultSet:  # a scope that can hold nothing (no applications given)
                sql = ""
            self._scope_name = self._hashed("last", sql)
        return f"{self._scope_name}:{part}"

    def _cached(self, part, compute, figures_only=False):
        key = f"{self._fingerprint(figures_only)}:{part}"
        found = cache.get(key)
        if found is not None:
            return found
        last_key = self._scope_key(part)
        if self.stale_ok and (last := cache.get(last_key)) is not None:
            computed_at, found = last
            self._stale[key] = (last_key, compute)
            self.computed_at = min(computed_at, self.computed_at or computed_at)
            return found
        return self._store(key, last_key, compute)

    @staticmethod
    def _store(key, last_key, compute):
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
        cache.set(last_key, (timezone.now(), found), CACHE_SECONDS)
        return found

    @property
    def stale(self):
        """Whether something shown was computed before the latest change to the scope's figures or states."""
        return bool(self._stale)

    def refresh(self):
        """Compute afresh what was shown stale, unless another process already is: the next view is current."""
        for key, (last_key, compute) in self._stale.items():
            claim = f"{key}:computing"
            if not cache.add(claim, True, REFRESH_CLAIM_SECONDS):
                continue
            try:
                self._store(key, last_key, compute)
            finally:
                cache.delete(claim)
        self._stale = {}

    @property
    def count(self):
        """How many rows the table has."""
        if self._count is None:
            self._fingerprint()
        return self._count

    @property
    def rows(self):
        """Every row (FigureRow), in 申报编号 order: for a download, which has them all."""
        if self._rows is None:
            self._rows = self.ordered("number", descending=False)
        return self._rows

    def values(self, cell_name):
        """Every row's value of one cell, in row order (None where there is none)."""
        return [row.values[cell_name] for row in self.rows]

    def stats(self, cell_name):
        if self._stats is None:
            self._stats = self._cached("stats", self._all_stats, figures_only=True)
        return self._stats.get(cell_name) or Stats(0, None, None, None, None, None)

    def _all_stats(self):
        """Every cell's statistics: count, sum, min, max and the middle value(s), in one grouped query on
        PostgreSQL; SQLite, which has no ordered-set aggregates, finds the middle ones in a second."""
        values = self._values_of()
        aggregates = {"n": Count("pk"), "total": Sum("scaled"), "low": Min("scaled"), "high": Max("scaled")}
        if connection.vendor == "postgresql":
            aggregates["middle"] = MiddleValues("scaled")
        # Grouped by code point: PostgreSQL sorts 550,000 cell names at 10,000 applications to group them,
        # and its locale's collation made that sort a third of the query.
        grouped = values.values(code_point_cell=codepoint_order(F("cell"))).annotate(**aggregates).order_by()
        found = {item["code_point_cell"]: item for item in grouped}
        if not found:
            return {}
        if connection.vendor == "postgresql":
            middles = {cell: item["middle"] for cell, item in found.items()}
        else:
            middles = self._middles(values)
        result = {}
        for cell, item in found.items():
            figure = self._figure_of[cell]
            total = scaled_to_decimal(item["total"])
            middle = sorted(scaled_to_decimal(value) for value in middles[cell])
            median = middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2
            places = average_places(figure)
            result[cell] = Stats(
                count=item["n"],
                total=rounded(total, figure.places) if figure.additive else None,
                mean=rounded(total / item["n"], places),
                median=rounded(median, places),
                minimum=rounded(scaled_to_decimal(item["low"]), figure.places),
                maximum=rounded(scaled_to_decimal(item["high"]), figure.places),
            )
        return result

    @staticmethod
    def _middles(values):
        """cell -> the middle one of its n sorted values, or the middle two: positions (n + 1) // 2 to (n + 2) // 2."""
        ranked = values.annotate(
            position=Window(RowNumber(), partition_by=[F("cell")], order_by=[F("scaled").asc()]),
            of=Window(Count("pk"), partition_by=[F("cell")]),
        )
        middles = {}
        for cell, value in ranked.filter(position__gte=(F("of") + 1) / 2, position__lte=(F("of") + 2) / 2).values_list(
            "cell", "scaled"
        ):
            middles.setdefault(cell, []).append(value)
        return middles

    def ordered(self, sort, descending, offset=0, limit=None):
        """The rows by one column, as groups.sorted_rows orders them: equal values in 申报编号 order, and
        rows without a value last whichever the direction."""
        key = (sort, descending, offset, limit)
        if key not in self._ordered:

            def read():
                return self._read_ordered(sort, descending, offset, limit)

            # A page or a chart's clusters are cached; every row (a download) is read each time.
            part = f"rows:{sort}:{int(descending)}:{offset}:{limit}"
            self._ordered[key] = read() if limit is None else self._cached(part, read)
        return self._ordered[key]

    def _read_ordered(self, sort, descending, offset, limit):
        source = self._scope()
        by_number = codepoint_order(F("number"))
        if sort == "number":
            order = [by_number.desc() if descending else by_number.asc()]
        else:
            if sort == "title":
                by = codepoint_order(F("submitted_figures__title"))
            elif sort == "region":
                by = codepoint_order(F("lead_region__name"))
            elif sort == "status":
                by = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(COUNTED_STATUSES)), default=Value(99))
            elif sort in self._figure_of:
                source = source.annotate(
                    sorted_by=FilteredRelation("figure_values", condition=Q(figure_values__cell=sort))
                )
                by = F("sorted_by__scaled")
            else:
                raise ValueError(f"no column {sort}")
            order = [by.desc(nulls_last=True) if descending else by.asc(nulls_last=True), by_number.asc()]
        fixed = source.order_by(*order).values_list(
            "pk", "number", "submitted_figures__title", "lead_region__name", "status"
        )
        fixed = list(fixed[offset : offset + limit] if limit is not None else fixed[offset:])
        if not fixed:
            return []
        values = {}
        ids = [item[0] for item in fixed] if limit is not None else None
        for application_id, cell, raw in self._values_of(ids).values_list("application_id", "cell", "raw").order_by():
            values.setdefault(application_id, {})[cell] = number(raw)
        return [
            FigureRow(
                application_id=pk,
                number=application_number,
                title=title or "",
                lead_region_name=region_name,
                status=status,
                status_label=Status(status).label,
                values={name: values.get(pk, {}).get(name) for name in self.cells},
            )
            for pk, application_number, title, region_name, status in fixed
        ]

    def page(self, sort, descending, page_number, per_page):
        """One page of the rows in this order (django.core.paginator.Page), reading only that page."""
        return Paginator(_OrderedRows(self, sort, descending), per_page).get_page(page_number)


class _OrderedRows:
    """What a Paginator pages: the table's length, and a slice read in that order from the database."""

    def __init__(self, table, sort, descending):
        self.table, self.sort, self.descending = table, sort, descending

    def count(self):
        return self.table.count

    def __len__(self):
        return self.table.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("只能按页读取。")
        start = index.start or 0
        stop = self.table.count if index.stop is None else index.stop
        return self.table.ordered(self.sort, self.descending, start, max(0, stop - start))


def figure_table(applications, schema, stale_ok=False):
    """The figure table of the counted `applications` (read lazily, FigureTable)."""
    return FigureTable(schema, applications, stale_ok=stale_ok)

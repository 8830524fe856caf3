"""The figures the call schema names for its dashboards, from each application's latest submitted version.

What is counted (docs/dashboards.md): applications that are not drafts and have at least one submitted
version, each once, with the figures of its highest-numbered version. Those figures are copied into
indexed rows when the version is frozen (dashboards/models.py, dashboards/store.py), so the database
adds, counts, sorts and pages them: a page of the figure table costs the same few queries for
10,000 applications as for ten, and never reads a version's JSON.

`FigureTable` composes the parts, each with its own home: the queries (dashboards/figure_queries.py),
the statistics' rules (dashboards/statistics.py), the cache and its stale-then-refresh
(dashboards/figure_cache.py) and the paging (dashboards/paging.py). It decides what each cached
part depends on: the statistics on every application's figures stamp (a submission, a resubmission
or a withdrawal back to draft changes them; a review step does not), the rows on the stamps, states
and 盟市 they show.
"""

from django.core.exceptions import EmptyResultSet

from applications.models import Application
from dashboards import figure_cache, figure_queries, paging
from dashboards.statistics import NO_STATS, summarised


def stat_figures(schema):
    """Every figure of the schema's `statistics:` groups, in order."""
    return [figure for group in schema.statistics for figure in group.figures]


def cell_names(schema, figure):
    """The cells of a figure: one per year for a per-year figure (output__2021 …), else the field key."""
    return [cell.name for cell in schema.fields[figure.key].cells]


def ranked_cell(schema, figure):
    """The one cell a figure is ranked on: the last year of a per-year figure, or its single value."""
    return schema.column(figure.key)[0].name


class FigureTable:
    """One row per counted application in 申报编号 order, with every figure of `schema.statistics`.

    Nothing is read until asked for, and then in a fixed number of queries: the statistics of every
    cell at once, a page of rows in any column's order, or (for a download) every row. A page may show
    what was last computed for its scope (`stale_ok`) and compute it afresh after it is sent
    (`stale`, `computed_at`, `refresh`); a download never does.
    """

    def __init__(self, schema, applications=None, stale_ok=False):
        self.schema = schema
        self.figures = stat_figures(schema)
        self.cells = [name for figure in self.figures for name in cell_names(schema, figure)]
        self._figure_of = {name: f for f in self.figures for name in cell_names(schema, f)}
        # The counted applications, never a draft (a withdrawn one is a draft again).
        none = Application.objects.none()
        self.scope = figure_queries.counted(none if applications is None else applications).order_by()
        self.cache = figure_cache.FigureCache(stale_ok)
        self._stats = self._rows = self._count = None
        self._keys = None  # (rows key, figures key, the scope's name): _fingerprint
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

    # --- What each cached part depends on ---

    def _fingerprint(self):
        """(rows key, figures key, the scope's name), from one query for every row's figures stamp, state and 盟市.

        Two scopes with the same stamps hold the same figures (what the statistics depend on), and with
        the same states and 盟市 too, the same rows. The scope's name keys what was last computed for
        it, whatever its figures were then: its SQL (the user's 盟市 and the filters are in it).
        """
        if self._keys is None:
            rows = figure_queries.fingerprint(self.scope)
            self._count = len(rows)
            try:
                sql = str(self.scope.query)
            except EmptyResultSet:  # a scope that can hold nothing (no applications given)
                sql = ""
            self._keys = (
                self._key("rows", rows),
                self._key("figures", [stamp for stamp, _, _ in rows]),
                self._key("last", sql),
            )
        return self._keys

    def _key(self, kind, named):
        return figure_cache.key(kind, self.schema.code, self.schema.digest, self.cells, named)

    def _cached(self, part, compute, figures_only=False):
        rows_key, figures_key, scope_name = self._fingerprint()
        key = figures_key if figures_only else rows_key
        return self.cache.get(f"{key}:{part}", f"{scope_name}:{part}", compute)

    @property
    def stale(self):
        """Whether something shown was computed before the latest change to the scope's figures or states."""
        return self.cache.stale

    @property
    def computed_at(self):
        """When the oldest stale part shown was computed; None when all are current."""
        return self.cache.computed_at

    def refresh(self):
        """Compute afresh what was shown stale, unless another process already is: the next view is current."""
        self.cache.refresh()

    # --- What is read ---

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
        """The Stats of one cell (dashboards.statistics), all cells computed at once."""
        if self._stats is None:
            self._stats = self._cached("stats", self._all_stats, figures_only=True)
        return self._stats.get(cell_name) or NO_STATS

    def _all_stats(self):
        totals = figure_queries.cell_totals(figure_queries.values_of(self.scope, self.cells))
        return {
            cell: summarised(self._figure_of[cell], t.count, t.total, t.minimum, t.maximum, t.middle)
            for cell, t in totals.items()
        }

    def ordered(self, sort, descending, offset=0, limit=None):
        """The rows by one column, as groups.sorted_rows orders them: equal values in 申报编号 order, and
        rows without a value last whichever the direction."""
        key = (sort, descending, offset, limit)
        if key not in self._ordered:

            def read():
                return figure_queries.ordered_rows(self.scope, self.cells, sort, descending, offset, limit)

            # A page or a chart's clusters are cached; every row (a download) is read each time.
            part = f"rows:{sort}:{int(descending)}:{offset}:{limit}"
            self._ordered[key] = read() if limit is None else self._cached(part, read)
        return self._ordered[key]

    def page(self, sort, descending, page_number, per_page):
        """One page of the rows in this order (django.core.paginator.Page), reading only that page."""

        def read(offset, limit):
            return self.ordered(sort, descending, offset, limit)

        return paging.page_of(self.count, read, page_number, per_page)


def figure_table(applications, schema, stale_ok=False):
    """The figure table of the counted `applications` (read lazily, FigureTable)."""
    return FigureTable(schema, applications, stale_ok=stale_ok)

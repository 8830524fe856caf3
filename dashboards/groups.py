"""集群指标对比: one card per group of the schema's `statistics:` — its charts and its sortable table.

Per-year figures are drawn as lines over the years (the 合计 of a count, the 平均值 of anything
else), single figures as a bar per cluster; one chart per unit, so 亿元 and % never share an axis.
Each chart and the table have a download holding the same rows (dashboards/panels.py).
"""

import itertools
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe

from applications.models import Status
from calls.schema.model import with_unit
from dashboards.figures import cell_names
from dashboards.panels import Chart, Sheet, as_float, download_url, text
from dashboards.statistics import average_places

PAGE_SIZE = 50  # rows of a figure table per page; the download has them all
BAR_LIMIT = 30  # bars of a per-cluster chart: past this many it shows the highest, the table has all
STATUS_ORDER = {status.value: i for i, status in enumerate(Status.official())}


def _status_order(row):
    """A state sorts by the workflow's order, not by its label."""
    return STATUS_ORDER.get(row.status, len(STATUS_ORDER))


class FixedColumn(NamedTuple):
    key: str  # what `sort` names (dashboards/forms.py offers these keys)
    heading: str
    value: object  # the row's value, as shown and downloaded
    order: object  # what the column sorts by


# The columns every figure table has before the figures; a figure column sorts by its cell name.
FIXED_COLUMNS = (
    FixedColumn("number", "申报编号", lambda row: row.number, lambda row: row.number),
    FixedColumn("title", "名称", lambda row: row.title, lambda row: row.title),
    FixedColumn("region", "牵头盟市", lambda row: row.lead_region_name, lambda row: row.lead_region_name),
    FixedColumn("status", "状态", lambda row: row.status_label, _status_order),
)
FIXED_SORT_KEYS = {column.key: column.order for column in FIXED_COLUMNS}


def heading_of(column, schema):
    """A fixed column's heading; the name column is headed as the call calls its applications' names."""
    return schema.title_label if column.key == "title" else column.heading


BAR_COLUMNS = FIXED_COLUMNS[:3]  # a bar chart's sheet names each cluster without its state


@dataclass
class Column:
    key: str  # what `sort` names: a fixed column or a cell
    heading: str  # in full, as the download heads it: 2023年集群总产值（亿元）
    numeric: bool
    short: str = ""  # under its figure's heading in the two-row header: 2023年
    sort_url: str = ""
    sorted: str = ""  # aria-sort: "ascending", "descending" or ""
    stats: object = None  # dashboards.figures.Stats of a figure column


@dataclass
class FigureGroup:
    slug: str
    title: str
    charts: list
    columns: list  # Column: the fixed ones, then each figure's
    heads: list  # FigureHead: the header's first row over the figure columns
    page: object  # the page of FigureRows shown
    rows: list  # each row of the page as its <td> cells, in column order (_row_html)
    footer: list  # (label, [text per figure column])
    download_url: str
    page_urls: dict = field(default_factory=dict)  # "previous" / "next" -> URL

    @property
    def fixed_columns(self):
        return self.columns[: len(FIXED_COLUMNS)]

    @property
    def header_rows(self):
        """Two when a per-year figure heads its years, else one."""
        return 2 if any(head.per_year for head in self.heads) else 1


@dataclass
class FigureHead:
    """A figure's heading: over its years in the header's first row, or (a single value) down both rows."""

    heading: str
    columns: list

    @property
    def per_year(self):
        return len(self.columns) > 1 or bool(self.columns[0].short)


def group_slug(index):
    return f"group-{index}"


def group_cells(table, group):
    """(cell name, heading with unit, figure) of every column of a group, figure by figure, years in order."""
    columns = []
    for figure in group.figures:
        for cell_name, heading in table.column_headings(figure):
            columns.append((cell_name, with_unit(heading, figure.unit), figure))
    return columns


def group_sheet(table, group, sort, descending):
    cells = group_cells(table, group)
    headings = [heading_of(column, table.schema) for column in FIXED_COLUMNS] + [heading for _, heading, _ in cells]
    rows = [
        [column.value(row) for column in FIXED_COLUMNS] + [row.values[name] for name, _, _ in cells]
        for row in table.ordered(sort, descending)
    ]
    return Sheet(group.title, headings, rows)


def _aggregate(figure):
    """A count is added up across clusters; anything else (产值, 比例, 增速) is averaged."""
    return "合计" if figure.is_count and figure.additive else "平均值"


def _by_unit(figures):
    units = {}
    for figure in figures:
        units.setdefault(figure.unit, []).append(figure)
    return list(units.items())


def _chart_title(group, figures, unit, single, several):
    """A chart of one figure is named by it; a chart of several, by its group (the legend names them)."""
    if len(figures) == 1:
        return with_unit(single, unit)
    return with_unit(f"{group.title}：{several}", unit)


def trend_sheet(table, group, figures, unit):
    """Each per-year figure's 合计 or 平均值 over the applications, year by year, then the 填报份数 of each
    合计: a cluster that answered 无 one year is missing from that year's 合计, which then drops."""
    schema = table.schema
    summed = _summed(figures)
    headings = [
        "年度",
        *(with_unit(f"{f.label}{_aggregate(f)}", unit) for f in figures),
        *(f"{f.label}填报份数" for f in summed),
    ]
    rows = []
    for index, year in enumerate(schema.years):
        stats = {f.key: table.stats(cell_names(schema, f)[index]) for f in figures}
        row = [f"{year}年", *(stats[f.key].total if f in summed else stats[f.key].mean for f in figures)]
        rows.append(row + [stats[f.key].count for f in summed])
    aggregates = "或".join(sorted({_aggregate(f) for f in figures}, reverse=True))
    title = _chart_title(group, figures, unit, f"历年{figures[0].label}{aggregates}", f"历年{aggregates}")
    return Sheet(title, headings, rows)


def _summed(figures):
    return [f for f in figures if _aggregate(f) == "合计"]


def _uneven_counts_note(figures, sheet):
    """Says so, with the counts, when a 合计 line adds up a different number of clusters from year to year."""
    first = 1 + len(figures)  # the 填报份数 columns follow the figures' (trend_sheet)
    summed = _summed(figures)
    uneven = []
    for i, figure in enumerate(summed):
        counts = [row[first + i] for row in sheet.rows]
        if len(set(counts)) > 1:
            label = figure.label if len(summed) > 1 else ""
            uneven.append(
                label + "、".join(f"{row[0]} {count} 份" for row, count in zip(sheet.rows, counts, strict=True))
            )
    if not uneven:
        return ""
    return f"填报份数：{'；'.join(uneven)}（各年填报份数不同时，合计不可直接比较）。"


def bar_sheet(table, group, figures, unit, limit=None):
    """Each application's single figures, highest first by the first of them (the first `limit` only, for a chart)."""
    names = [cell_names(table.schema, figure)[0] for figure in figures]
    headings = [
        *(heading_of(column, table.schema) for column in BAR_COLUMNS),
        *(with_unit(f.label, unit) for f in figures),
    ]
    rows = [
        [*(column.value(row) for column in BAR_COLUMNS), *(row.values[name] for name in names)]
        for row in table.ordered(names[0], descending=True, limit=limit)
    ]
    subject = table.schema.subject
    return Sheet(
        _chart_title(group, figures, unit, f"各{subject}{figures[0].label}", f"各{subject}对比"), headings, rows
    )


def group_charts(table, group, slug, bar_limit=None):
    """(slug, kind, unit, figures, sheet) of each chart of a group: per-year figures as lines over the
    years, single figures as a bar per cluster; one chart per unit, so 亿元 and % never share an axis.
    `bar_limit`: a bar chart's sheet holds only the clusters drawn (the page), else all (the download)."""
    per_year = [f for f in group.figures if f.per_year]
    single = [f for f in group.figures if not f.per_year]
    charts = []
    for i, (unit, figures) in enumerate(_by_unit(per_year), 1):
        charts.append((f"{slug}-trend-{i}", "line", unit, figures, trend_sheet(table, group, figures, unit)))
    for i, (unit, figures) in enumerate(_by_unit(single), 1):
        charts.append((f"{slug}-bar-{i}", "bar", unit, figures, bar_sheet(table, group, figures, unit, bar_limit)))
    return charts


def _chart(chart_slug, kind, unit, figures, sheet, query, rows_in_table):
    if kind == "line":
        places = max(f.places if _aggregate(f) == "合计" else average_places(f) for f in figures)
    else:
        places = max(f.places for f in figures)
    rows = sheet.rows if kind == "line" else sheet.rows[:BAR_LIMIT]
    first = 1 if kind == "line" else len(BAR_COLUMNS)  # the label columns before the figures
    config = {
        "type": kind,
        "labels": [row[0] if kind == "line" else (row[1] or row[0]) for row in rows],
        "datasets": [
            {"label": heading.removesuffix(f"（{unit}）"), "data": [as_float(row[first + i]) for row in rows]}
            for i, heading in enumerate(sheet.headings[first : first + len(figures)])
        ],
        "unit": unit,
        "places": places,
        "horizontal": kind == "bar",
    }
    if kind == "line":
        note = _uneven_counts_note(figures, sheet)
    else:
        note = f"图中为最高的 {BAR_LIMIT} 份申报，全部数据见下表及下载文件。" if rows_in_table > BAR_LIMIT else ""
    return Chart(f"chart-{chart_slug}", sheet.title, config, download_url(chart_slug, query), note)


def figure_groups(table, sort, descending, page_number, query):
    """Every group of the schema's `statistics:` as a card: its charts and its sortable table."""
    groups = []
    for index, group in enumerate(table.schema.statistics, 1):
        slug = group_slug(index)
        charts = _laid_out(
            [_chart(*spec, query, table.count) for spec in group_charts(table, group, slug, bar_limit=BAR_LIMIT)]
        )
        cells = group_cells(table, group)
        columns = [Column(column.key, heading_of(column, table.schema), False) for column in FIXED_COLUMNS]
        heads = [_figure_head(table, figure, cells) for figure in group.figures]
        columns += [column for head in heads for column in head.columns]
        for column in columns:
            _sort_link(column, sort, descending, query, slug)
        page = table.page(sort, descending, page_number, PAGE_SIZE)
        rows = [_row_html(row, cells) for row in page]
        footer = [
            (label, [text(getattr(column.stats, attr)) for column in columns if column.stats])
            for label, attr in FOOTER_STATS
        ]
        sorting = {"sort": sort, "dir": "desc" if descending else "asc"}
        groups.append(
            FigureGroup(
                slug=slug,
                title=group.title,
                charts=charts,
                columns=columns,
                heads=heads,
                page=page,
                rows=rows,
                footer=footer,
                download_url=download_url(slug, {**query, **sorting}),
                page_urls=_page_urls(page, {**query, **sorting}, slug),
            )
        )
    return groups


# The class of each fixed column's cell: the application's name may wrap, the rest stay on one line.
FIXED_CELL_CLASSES = tuple("name" if column.key == "title" else "nowrap" for column in FIXED_COLUMNS)


def _row_html(row, cells):
    """A table row's <td> cells, every value escaped: one template variable a row rather than a template
    loop over its ~60 cells, which was the page's largest cost (docs/performance.md)."""
    fixed = zip(FIXED_CELL_CLASSES, (column.value(row) for column in FIXED_COLUMNS), strict=True)
    figures = (("num", row.values[name]) for name, _, _ in cells)
    return mark_safe(  # noqa: S308 — the markup is constant and every value passes through escape()
        "".join(f'<td class="{css}">{escape(text(value))}</td>' for css, value in itertools.chain(fixed, figures))
    )


def _laid_out(charts):
    """Line charts go two to a row; a bar per cluster, or a line chart left without a partner, takes the row."""
    lines = [chart for chart in charts if not chart.config.get("horizontal")]
    for chart in charts:
        chart.wide = chart.config.get("horizontal") or (len(lines) % 2 == 1 and chart is lines[-1])
    return charts


# The stats under each table: 份数 says how many clusters a mean covers (无 is left out); 合计 only where
# the figure adds up (not for ratios, growth rates or per-unit figures).
FOOTER_STATS = (
    ("填报份数", "count"),
    ("合计", "total"),
    ("平均值", "mean"),
    ("中位数", "median"),
    ("最大值", "maximum"),
    ("最小值", "minimum"),
)


def _figure_head(table, figure, cells):
    schema = table.schema
    columns = []
    for name, heading, of in cells:
        if of is figure:
            year = schema.cells[name].year
            columns.append(Column(name, heading, True, f"{year}年" if year else "", stats=table.stats(name)))
    return FigureHead(with_unit(figure.label, figure.unit), columns)


def _sort_link(column, sort, descending, query, slug):
    """A heading's link sorts by its column: a figure highest first, text A to Z; again, the other way."""
    current = column.key == sort
    if current:
        column.sorted = "descending" if descending else "ascending"
        direction = "asc" if descending else "desc"
    else:
        direction = "desc" if column.numeric else "asc"
    column.sort_url = f"?{urlencode({**query, 'sort': column.key, 'dir': direction})}#{slug}"


def _page_urls(page, query, slug):
    urls = {}
    if page.has_previous():
        urls["previous"] = f"?{urlencode({**query, 'page': page.previous_page_number()})}#{slug}"
    if page.has_next():
        urls["next"] = f"?{urlencode({**query, 'page': page.next_page_number()})}#{slug}"
    return urls


def figure_sheet(table, slug, sort, descending):
    """The sheet behind `slug`: a group's table, or one of its charts; None for a slug no panel has."""
    for index, group in enumerate(table.schema.statistics, 1):
        group_prefix = group_slug(index)
        if slug == group_prefix:
            return group_sheet(table, group, sort, descending)
        for chart_slug, *_, sheet in group_charts(table, group, group_prefix):
            if slug == chart_slug:
                return sheet
    return None

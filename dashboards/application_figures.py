"""One application's own figures as its reviewers read them: a small three-year chart per per-year figure
of the call's `statistics:`, and where the version stands among the call's submitted applications.

The charts are drawn from the version being read (never the draft being edited); the standing comes
from dashboards.ranking, a rank and a share only — never another applicant's figures.
"""

from dataclasses import dataclass

from dashboards.figures import stat_figures
from dashboards.ranking import standing
from dashboards.statistics import number

# A growth rate reads as a line across the years; an amount, a count or a share as bars from zero, so
# a small change (研发投入强度 2.0 → 2.2 %) does not look like a steep one.
LINE_TYPES = {"growth"}


@dataclass(frozen=True)
class Trend:
    """A small chart for templates/dashboards/includes/chart.html: its id on the page, title and config."""

    id: str
    title: str
    config: dict  # what static/js/charts.js draws: type, labels, datasets, unit, places
    values: list  # (year label, Decimal or None) for the text under the chart


@dataclass(frozen=True)
class StandingGroup:
    title: str
    rows: list  # dashboards.ranking.Standing


@dataclass(frozen=True)
class ApplicationFigures:
    version_number: int  # the version the figures are read from
    year: int  # the year a per-year figure is ranked on: the schema's last
    trends: list  # Trend
    standing: list  # dashboards.ranking.Standing, in the order of the schema's `statistics:`
    groups: list  # StandingGroup: the standing under the schema's group titles, for the table

    def __bool__(self):
        return bool(self.trends or self.standing)


def figures_for(application, version):
    """The trends of `version` (a Version of `application`) and its standing in the application's call."""
    schema = application.schema
    ranks = standing(application, version)
    by_key = {row.figure.key: row for row in ranks}
    groups = [
        StandingGroup(group.title, [by_key[f.key] for f in group.figures if f.key in by_key])
        for group in schema.statistics
    ]
    trends = [_trend(schema, figure, version.data) for figure in stat_figures(schema) if figure.per_year]
    return ApplicationFigures(version.number, schema.years[-1], trends, ranks, [g for g in groups if g.rows])


def _trend(schema, figure, data):
    labels = [f"{year}年" for year in schema.years]
    values = [number(data.get(f"{figure.key}__{year}")) for year in schema.years]
    unit = f"（{figure.unit}）" if figure.unit else ""
    config = {
        "type": "line" if schema.fields[figure.key].type in LINE_TYPES else "bar",
        "labels": labels,
        # Floats, not Decimals: json_script would write a Decimal as a string the chart cannot scale.
        "datasets": [{"label": figure.label, "data": [None if v is None else float(v) for v in values]}],
        "unit": figure.unit,
        "places": figure.places,
    }
    return Trend(f"trend-{figure.key}", f"{figure.label}{unit}", config, list(zip(labels, values, strict=True)))

"""The figures the call schema names for its dashboards, read from each application's latest submitted version.

What is counted (docs/dashboards.md): applications that are not drafts and have at least one submitted
version, each once, with the figures of its highest-numbered version. One query reads every row: the
latest version is picked by a subquery on (application, number) and only the cells the dashboards show
are taken out of its JSON by the database, so 1,000 applications cost the same query as ten.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from applications.models import Status, Version
from calls.schema.values import NONE_ANSWER

# A mean or a median of whole numbers (企业数量) keeps one decimal: 0.4 家 says more than 0 家.
COUNT_AVERAGE_PLACES = 1


def counted(applications):
    """The applications a dashboard counts: not drafts, with at least one submitted version."""
    return applications.exclude(status=Status.DRAFT).filter(Exists(Version.objects.filter(application=OuterRef("pk"))))


def latest_versions(applications):
    """The highest-numbered version of each counted application: one row per application."""
    newest = Version.objects.filter(application=OuterRef("application")).order_by("-number").values("number")[:1]
    return Version.objects.filter(
        application__in=applications.exclude(status=Status.DRAFT).values("pk"), number=Subquery(newest)
    )


def of_industry_type(applications, industry_type):
    """`applications` whose latest submitted version answers 主导产业所属产业类型 with `industry_type`.

    The filter reads the version, not the live record: a returned application being edited still
    counts under what it last submitted.
    """
    latest = Version.objects.filter(application=OuterRef("pk")).order_by("-number")
    answer = Subquery(latest.annotate(answer=KeyTextTransform("industry_type", "data")).values("answer")[:1])
    return applications.alias(latest_industry_type=answer).filter(latest_industry_type=industry_type)


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
    cluster_name: str
    lead_region_name: str
    status: str
    status_label: str
    values: dict  # cell name -> Decimal, or None where the answer was 无 or empty


@dataclass
class FigureTable:
    schema: object
    rows: list = field(default_factory=list)

    def __post_init__(self):
        self.figures = stat_figures(self.schema)
        self._figure_of = {name: f for f in self.figures for name in cell_names(self.schema, f)}

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

    def values(self, cell_name):
        """Every row's value of one cell, in row order (None where there is none)."""
        return [row.values[cell_name] for row in self.rows]

    def stats(self, cell_name):
        return stats_of(self.values(cell_name), self.figure_of(cell_name))


def figure_table(applications, schema):
    """One row per counted application in 申报编号 order, with every figure of `schema.statistics`."""
    names = [name for figure in stat_figures(schema) for name in cell_names(schema, figure)]
    cells = {f"cell{i}": KeyTextTransform(name, "data") for i, name in enumerate(names)}
    source = (
        latest_versions(applications)
        .order_by("application__number")
        .values(
            "application_id",
            "application__number",
            "application__status",
            "application__lead_region__name",
            cluster=KeyTextTransform("cluster_name", "data"),
            **cells,
        )
    )
    rows = [
        FigureRow(
            application_id=item["application_id"],
            number=item["application__number"],
            cluster_name=item["cluster"] or "",
            lead_region_name=item["application__lead_region__name"],
            status=item["application__status"],
            status_label=Status(item["application__status"]).label,
            values={name: number(item[f"cell{i}"]) for i, name in enumerate(names)},
        )
        for item in source
    ]
    return FigureTable(schema, rows)

"""The dashboard's panels: what each chart and table shows, and the same data as a download.

The page and its downloads are built by the same functions, so a downloaded sheet holds exactly the
rows of the table, or the points of the chart, it sits under. Charts get floats (json_script would
write a Decimal as a string the chart cannot scale); tables and sheets keep Decimals. The figure
groups' cards are built in dashboards/groups.py.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

NO_VALUE = "—"


@dataclass
class Chart:
    """One chart for templates/dashboards/includes/chart.html; `config` is what static/js/charts.js draws."""

    id: str
    title: str
    config: dict
    download_url: str = ""
    note: str = ""
    wide: bool = False  # across the whole card rather than half of it

    @property
    def empty(self):
        return not any(value is not None for dataset in self.config["datasets"] for value in dataset["data"])


@dataclass
class Sheet:
    """A panel's data as table_xlsx takes it: numbers as Decimal or int, text as text."""

    title: str
    headings: list
    rows: list


def text(value):
    return NO_VALUE if value is None else str(value)


def as_float(value):
    return None if value is None else float(value)


def download_url(slug, query):
    return f"{reverse('dashboards:download', args=[slug])}?{urlencode(query)}"


# --- 申报概况: counts by state and by 盟市, waiting, scoring ---


def status_chart(overview, query):
    labels = [label for _, label, _ in overview.by_status]
    config = {
        "type": "bar",
        "labels": labels,
        "datasets": [{"label": "申报份数", "data": [count for _, _, count in overview.by_status]}],
        "unit": "份",
        "places": 0,
    }
    return Chart("chart-status", "各状态申报份数", config, download_url("status", query))


def status_sheet(overview):
    rows = [[label, count] for _, label, count in overview.by_status]
    return Sheet("各状态申报份数", ["状态", "份数"], [*rows, ["合计", overview.total]])


def region_chart(overview, query):
    shown = [(status, label) for status, label, count in overview.by_status if count]
    config = {
        "type": "bar",
        "labels": [row.region_name for row in overview.by_region],
        "datasets": [
            {"label": label, "data": [row.counts[status] for row in overview.by_region]} for status, label in shown
        ],
        "unit": "份",
        "places": 0,
        "stacked": True,
    }
    return Chart("chart-regions", "各盟市申报份数（按牵头盟市）", config, download_url("regions", query))


def region_sheet(overview):
    headings = ["牵头盟市", *(label for _, label, _ in overview.by_status), "合计"]
    rows = [
        [row.region_name, *(row.counts[status] for status, _, _ in overview.by_status), row.total]
        for row in overview.by_region
    ]
    totals = ["合计", *(count for _, _, count in overview.by_status), overview.total]
    return Sheet("各盟市申报份数", headings, [*rows, totals])


def overview_downloads(query):
    """The download links of the overview's tables, as each chart carries its own."""
    return {slug: download_url(slug, query) for slug in ("waiting", "scoring")}


def waiting_sheet(overview):
    rows = [[row.label, row.count, row.mean_days, row.max_days] for row in overview.waiting]
    return Sheet("各环节等待情况", ["当前环节（状态）", "份数", "平均等待天数", "最长等待天数"], rows)


def scoring_items(scoring):
    """(label, count) of the expert assignments, as the page and its download list them."""
    return [
        ("专家评审中的申报（份）", scoring.applications),
        ("待声明利益冲突（人次）", scoring.assigned),
        ("评审中（人次）", scoring.declared),
        ("已提交评分（人次）", scoring.submitted),
        ("已声明回避（人次）", scoring.recused),
        ("按规则回避（人次）", scoring.excluded),
        ("已撤回分配（人次）", scoring.removed),
    ]


def scoring_sheet(overview):
    return Sheet("专家评审进度", ["项目", "数量"], [list(item) for item in scoring_items(overview.scoring)])


OVERVIEW_SHEETS = {"status": status_sheet, "regions": region_sheet, "waiting": waiting_sheet, "scoring": scoring_sheet}

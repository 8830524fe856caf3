"""The 统计分析 page and its downloads: the numbers shown, the filters, sorting, bad parameters, XLSX files."""

import io
import json
import re
from urllib.parse import parse_qsl, unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications.models import Application, Status
from calls.models import Call
from dashboards import groups
from dashboards.figures import figure_table
from dashboards.forms import DashboardFilterForm
from dashboards.overview import call_overview
from dashboards.tests.conftest import OUTPUT
from documents.filters import with_default_call
from documents.tests.submitted import submitted
from portal.navigation import menu_for
from regions.models import Region
from tests import factories

pytestmark = pytest.mark.usefixtures("steady_query_counts")  # counted queries

INDEX = reverse("dashboards:index")


def page(client, **params):
    response = client.get(INDEX, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def chart_config(html, chart_id):
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no chart {chart_id} on the page"
    return json.loads(found.group(1))


def footer_values(html, group_slug, label):
    """The texts of one statistics row (平均值, 中位数, …) in a figure group's table footer."""
    section = html[html.index(f'id="{group_slug}"') :]
    footer = section[section.index("<tfoot>") : section.index("</tfoot>")]
    row = re.search(rf'scope="row">{label}</th>(.*?)</tr>', footer, re.S).group(1)
    return re.findall(r'<td class="num">(.*?)</td>', row)


def table_numbers(html, group_slug):
    """The 申报编号 of each row of a figure group's table, in order."""
    section = html[html.index(f'id="{group_slug}"') :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return re.findall(r'<td class="nowrap">(\d{4}-\d{6}-\d{3})</td>', body)


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def sheet_rows(sheet):
    """The table of a downloaded sheet: the headings are its third row, the rows follow."""
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    return rows[0], rows[1:]


def download_links(html):
    return sorted(set(re.findall(r'href="(/dashboards/download/[^"]+)"', html)))


def api(user, **params):
    """What the dashboards' data functions compute for `user` with these filters, independently of the page."""
    form = DashboardFilterForm(with_default_call(params), user)
    assert form.is_valid(), form.errors
    applications = form.filter(Application.objects.visible_to(user))
    return call_overview(applications), figure_table(applications, form.schema)


# --- What the page shows ---


def test_the_department_sees_the_counts_by_state_the_overview_computes(client, department, spread):
    client.force_login(department)
    html = page(client)
    overview, _ = api(department)
    shown = chart_config(html, "chart-status")
    assert shown["labels"][:4] == ["待盟市初审", "退回修改", "待自治区受理", "专家评审中"]
    assert shown["datasets"][0]["data"] == [count for _, _, count in overview.by_status]
    assert shown["datasets"][0]["data"][:4] == [1, 0, 2, 1]
    assert "共 4 份申报" in html


def test_the_department_sees_every_region_with_its_counts_by_state(client, department, spread):
    client.force_login(department)
    html = page(client)
    regions = chart_config(html, "chart-regions")
    assert regions["labels"] == list(Region.objects.values_list("name", flat=True))  # every 盟市, in code order
    totals = [sum(column) for column in zip(*(d["data"] for d in regions["datasets"]), strict=True)]
    assert dict(zip(regions["labels"], totals, strict=True))["包头市"] == 2
    assert dict(zip(regions["labels"], totals, strict=True))["鄂尔多斯市"] == 1
    assert {d["label"] for d in regions["datasets"]} == {"待盟市初审", "待自治区受理", "专家评审中"}


def test_the_figure_statistics_shown_are_those_counted_by_hand_and_by_the_data_functions(client, department, spread):
    client.force_login(department)
    html = page(client)
    _, table = api(department)
    stats = table.stats(OUTPUT)
    # 100.25, 200.50 and 301.00; 通辽 answered 无, which is no value and not a zero.
    assert stats.count == 3
    assert footer_values(html, "group-1", "平均值")[2] == "200.58" == str(stats.mean)
    assert footer_values(html, "group-1", "中位数")[2] == "200.50" == str(stats.median)
    assert footer_values(html, "group-1", "最大值")[2] == "301.00" == str(stats.maximum)
    assert footer_values(html, "group-1", "最小值")[2] == "100.25" == str(stats.minimum)
    assert footer_values(html, "group-1", "填报份数")[2] == "3"
    assert footer_values(html, "group-1", "合计")[2] == "601.75"  # 100.25 + 200.50 + 301.00
    growth = footer_values(html, "group-1", "合计")[5]  # 主导产业产值增速 (%): a rate is never added up
    assert growth == "—"
    trend = chart_config(html, "chart-group-1-trend-1")
    assert trend["labels"] == ["2021年", "2022年", "2023年"]
    assert trend["datasets"][0]["label"] == "集群总产值平均值"
    assert trend["datasets"][0]["data"][2] == pytest.approx(200.58)


def test_counts_are_totalled_across_clusters_and_rates_averaged(client, department, spread):
    client.force_login(department)
    html = page(client)
    _, table = api(department)
    tiers = chart_config(html, "chart-group-3-trend-1")
    assert tiers["unit"] == "家" and tiers["places"] == 0
    assert tiers["datasets"][0]["label"].endswith("合计")
    assert tiers["datasets"][0]["data"][2] == table.stats("large_enterprises__2023").total
    growth = chart_config(html, "chart-group-1-trend-2")
    assert growth["unit"] == "%" and growth["datasets"][0]["label"].endswith("平均值")


def test_a_yearly_total_that_adds_up_fewer_clusters_one_year_says_so_with_the_counts(client, department, spread, call):
    submitted(call, large_enterprises__2021="无")
    client.force_login(department)
    html = page(client)
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["group-3-trend-1"]))))
    column = headings.index("规模以上企业填报份数")
    assert [row[column] for row in rows] == [4, 5, 5]  # the new cluster answered 无 for 2021
    tiers = chart_config(html, "chart-group-3-trend-1")
    assert all(not dataset["label"].endswith("填报份数") for dataset in tiers["datasets"])
    section = html[html.index('id="chart-group-3-trend-1"') :]
    note = section[: section.index("</figure>")]
    assert "规模以上企业2021年 4 份、2022年 5 份、2023年 5 份" in note and "合计不可直接比较" in note


def test_a_yearly_total_over_the_same_clusters_every_year_has_no_warning(client, department, spread):
    client.force_login(department)
    html = page(client)
    assert "合计不可直接比较" not in html
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["group-3-trend-1"]))))
    assert [row[headings.index("规模以上企业填报份数")] for row in rows] == [4, 4, 4]


def test_a_padded_call_number_is_read_as_the_call_field_reads_it(department, spread, call):
    params = {"call": f" {call.pk}", "category": "第三产业", "sort": OUTPUT}
    form = DashboardFilterForm(params, department)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["category"] == "第三产业" and form.sorting() == (OUTPUT, False)


def test_the_fixed_columns_are_offered_as_sorts_with_their_headings(department, spread):
    form = DashboardFilterForm(with_default_call({}), department)
    assert [c for c in form.fields["sort"].choices if c[0] in groups.FIXED_SORT_KEYS] == [
        ("number", "申报编号"),
        ("title", "集群名称"),
        ("region", "牵头盟市"),
        ("status", "状态"),
    ]


def test_with_no_published_call_the_page_says_so(client, department, call):
    Call.objects.filter(pk=call.pk).update(is_published=False)
    client.force_login(department)
    assert "当前没有已发布的申报批次" in page(client)


def test_a_returned_and_resubmitted_application_shows_its_latest_version(client, department, call):
    app = submitted(call, versions=2)
    client.force_login(department)
    html = page(client)
    section = html[html.index('id="group-1"') : html.index("</tbody>", html.index('id="group-1"'))]
    assert app.number in section and "102.25" in section and "101.25" not in section


def test_the_region_filter_narrows_every_section(client, department, spread):
    client.force_login(department)
    ordos = Region.objects.get(code="150600")
    html = page(client, region=ordos.pk)
    assert "共 1 份申报" in html
    assert table_numbers(html, "group-1") == [spread["ordos"].number]
    assert spread["baotou"].number not in html
    assert chart_config(html, "chart-regions")["labels"] == ["鄂尔多斯市"]
    assert footer_values(html, "group-1", "平均值")[2] == "301.00"


def test_the_status_and_industry_filters_narrow_the_tables(client, department, spread):
    client.force_login(department)
    recommended = page(client, status=Status.RECOMMENDED)
    assert set(table_numbers(recommended, "group-1")) == {spread["baotou_2"].number, spread["ordos"].number}
    tertiary = page(client, category="第三产业")
    assert table_numbers(tertiary, "group-1") == [spread["baotou_2"].number]


def test_a_filter_with_nothing_to_show_says_so(client, department, spread):
    client.force_login(department)
    html = page(client, status=Status.APPROVED)
    assert "没有符合筛选条件的已提交申报" in html
    assert "<canvas" not in html


def test_sorting_by_a_figure_orders_the_rows_and_keeps_the_filters_in_the_links(client, department, spread):
    client.force_login(department)
    html = page(client, sort=OUTPUT, dir="desc", status="")
    numbers = table_numbers(html, "group-1")
    assert numbers == [spread[k].number for k in ("ordos", "baotou_2", "baotou", "tongliao")]  # 无 last
    ascending = table_numbers(page(client, sort=OUTPUT, dir="asc"), "group-1")
    assert ascending == [spread[k].number for k in ("baotou", "baotou_2", "ordos", "tongliao")]
    filtered = page(client, region=Region.objects.get(code="150200").pk)
    link = re.search(r'href="(\?[^"]*sort=output__2023[^"]*)"', filtered).group(1)
    assert "region=" in link and "call=" in link and "dir=desc" in link


@pytest.mark.parametrize(
    "params",
    [
        {"call": "abc"},
        {"call": "99999999999999999999"},
        {"call": "²"},
        {"region": "999999"},
        {"region": "abc"},
        {"status": "draft"},
        {"category": "<script>"},
        {"sort": "evil"},
        {"sort": "data__password"},
        {"dir": "x"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999"},
    ],
)
def test_hostile_parameters_are_refused_or_ignored_never_an_error(client, department, spread, params):
    client.force_login(department)
    response = client.get(INDEX, params)
    assert response.status_code in (200, 400)
    assert "统计分析" in response.content.decode()
    download = client.get(reverse("dashboards:download", args=["group-1"]), params)
    assert download.status_code in (200, 400)
    if download.status_code == 200:
        assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_unknown_call_is_refused_with_a_way_back(client, department, spread):
    client.force_login(department)
    html = page(client, call="abc")
    assert "申报批次" in html and "恢复默认筛选条件" in html and "<canvas" not in html


# --- Downloads ---


def test_the_table_download_has_the_rows_of_the_table_with_numbers_as_numbers(client, department, spread):
    client.force_login(department)
    html = page(client, sort=OUTPUT, dir="desc")
    section = html[html.index('id="group-1"') :]
    url = re.search(r'href="(/dashboards/download/group-1\.xlsx[^"]*)"', section).group(1).replace("&amp;", "&")
    response = client.get(url)
    assert "产业规模" in unquote(response["Content-Disposition"])
    sheet = workbook(response)
    headings, rows = sheet_rows(sheet)
    assert headings[:4] == ("申报编号", "集群名称", "牵头盟市", "状态")
    assert [row[0] for row in rows] == table_numbers(html, "group-1")
    column = headings.index("2023年集群总产值（亿元）")
    assert [row[column] for row in rows] == [301, 200.5, 100.25, None]  # 通辽 answered 无
    cell = sheet.cell(row=4, column=column + 1)
    assert cell.data_type == "n" and cell.number_format == "0.00"


def test_the_chart_download_holds_the_points_drawn(client, department, spread):
    client.force_login(department)
    html = page(client)
    trend = chart_config(html, "chart-group-1-trend-1")
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["group-1-trend-1"]))))
    assert headings[0] == "年度" and headings[1] == "集群总产值平均值（亿元）"
    assert [row[0] for row in rows] == trend["labels"]
    assert [row[1] for row in rows] == pytest.approx(trend["datasets"][0]["data"])


def test_the_overview_downloads_hold_the_counts_shown(client, department, spread):
    client.force_login(department)
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["status"]))))
    assert headings == ("状态", "份数")
    assert ("待自治区受理", 2) in rows and rows[-1] == ("合计", 4)
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["regions"]))))
    assert headings[0] == "牵头盟市" and headings[-1] == "合计"
    assert dict((row[0], row[-1]) for row in rows)["包头市"] == 2
    headings, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["waiting"]))))
    assert headings == ("当前环节（状态）", "份数", "平均等待天数", "最长等待天数")
    assert ("待盟市初审", 1) == rows[0][:2]


def test_every_download_link_on_the_page_opens_as_a_workbook(client, department, spread):
    client.force_login(department)
    html = page(client, status=Status.RECOMMENDED)
    links = download_links(html)
    assert len(links) >= 10
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "status=recommended" in link
        workbook(response)


def test_an_unknown_download_is_not_found(client, department, spread):
    client.force_login(department)
    assert client.get(reverse("dashboards:download", args=["group-99"])).status_code == 404


def test_the_page_costs_the_same_queries_for_three_applications_as_for_twelve(client, department, call):
    client.force_login(department)

    def queries():
        page(client)  # the session's idle-timeout stamp (accounts.middleware) is written now, not measured
        with CaptureQueriesContext(connection) as captured:
            page(client)
        return len(captured)

    for i in range(3):
        submitted(call, ("150200", "150500", "150600")[i])
    few = queries()
    for i in range(9):
        submitted(call, ("150200", "150500", "150600")[i % 3], status=Status.RECOMMENDED, versions=1 + i % 2)
    assert queries() == few


def test_the_officials_menus_offer_the_dashboard(department, bureau):
    assert ("dashboards:index", "统计分析") in menu_for(department)
    assert ("dashboards:index", "统计分析") in menu_for(bureau)
    assert ("dashboards:index", "统计分析") not in menu_for(factories.user(Role.EXPERT))


def test_the_page_loads_the_vendored_chart_library_and_no_inline_script(client, department, spread):
    client.force_login(department)
    html = page(client)
    assert "/static/vendor/chart-4.6.1.umd.min.js" in html and "/static/js/charts.js" in html
    for script in re.findall(r"<script[^>]*>", html):
        assert 'src="' in script or 'type="application/json"' in script, script


def test_a_long_table_is_paged_and_a_crowded_bar_chart_keeps_the_highest(client, department, spread, monkeypatch):
    monkeypatch.setattr(groups, "PAGE_SIZE", 3)
    monkeypatch.setattr(groups, "BAR_LIMIT", 2)
    client.force_login(department)
    first = page(client, sort=OUTPUT, dir="desc")
    assert table_numbers(first, "group-1") == [spread[k].number for k in ("ordos", "baotou_2", "baotou")]
    assert "第 1 / 2 页" in first
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)">下一页', first).group(1).replace("&amp;", "&")
    assert f"sort={OUTPUT}" in next_link and "dir=desc" in next_link
    assert table_numbers(page(client, **dict(parse_qsl(next_link[1:].split("#")[0]))), "group-1") == [
        spread["tongliao"].number
    ]
    patents = chart_config(first, "chart-group-2-bar-1")
    assert len(patents["labels"]) == 2 and "图中为最高的 2 份申报" in first
    _, rows = sheet_rows(workbook(client.get(reverse("dashboards:download", args=["group-2-bar-1"]))))
    assert len(rows) == 4  # the download has every cluster

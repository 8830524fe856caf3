"""统计分析 through real pages: the 自治区 reads the charts, narrows to one 盟市, sorts and downloads a table;
a 盟市工信局 opens its own dashboard. The charts must be drawn, and the browser must report no error."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Status
from documents.tests.submitted import submitted
from regions.models import Region
from tests import factories
from tests.browser.conftest import sign_in


@pytest.fixture
def spread(page):
    call = factories.open_call()
    joined = submitted(call, "150900", status=Status.RECOMMENDED, cluster_name="乌兰察布数据中心集群")
    joined.participating_regions.add(Region.objects.get(code="150200"))
    return {
        "baotou": submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群", output__2023="1402.60"),
        "joined": joined,
        "ordos": submitted(
            call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群", output__2023="820.40"
        ),
        "ordos_2": submitted(
            call, "150600", status=Status.UNDER_REVIEW, cluster_name="鄂尔多斯氢能集群", output__2023="1203.15"
        ),
    }


@pytest.fixture
def errors(page):
    """What the browser reports as an error while the test runs: console errors and uncaught exceptions."""
    seen = []
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def assert_charts_drawn(page):
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 5
    expect(canvases.first).to_have_attribute("data-drawn", "true")
    assert page.locator("canvas[data-drawn='true']").count() == canvases.count()
    assert page.evaluate("Object.keys(window.Chart.instances).length") == canvases.count()
    box = page.locator("canvas[data-chart='chart-status']").bounding_box()
    assert box["width"] > 200 and box["height"] > 100


def test_the_region_reads_the_charts_narrows_to_one_city_and_downloads_a_table(page, spread, errors, tmp_path):
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    sign_in(page, department.username, factories.PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="统计分析").click()
    expect(page.get_by_role("heading", name="统计分析", exact=True)).to_be_visible()
    expect(page.locator(".dashboard-scope")).to_contain_text("共 4 份申报")
    assert_charts_drawn(page)

    page.get_by_label("牵头盟市", exact=True).select_option(label="鄂尔多斯市")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".dashboard-scope")).to_contain_text("共 2 份申报")
    table = page.locator("#group-1 tbody")
    expect(table).to_contain_text(spread["ordos"].number)
    expect(table).not_to_contain_text(spread["baotou"].number)
    assert_charts_drawn(page)

    # Highest 2023 output first: the heading link sorts and keeps the 盟市 chosen.
    page.locator("#group-1 thead a[href*='sort=output__2023']").click()
    expect(page.locator("#group-1 tbody tr").first).to_contain_text(spread["ordos_2"].number)
    expect(page.get_by_label("牵头盟市", exact=True)).to_have_value(str(Region.objects.get(code="150600").pk))

    with page.expect_download() as info:
        page.locator("#group-1 .table-head").get_by_role("link", name="下载 Excel").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("产业规模") and path.suffix == ".xlsx"
    sheet = load_workbook(path).active
    headings = [cell.value for cell in sheet[3]]
    column = headings.index("2023年集群总产值（亿元）") + 1
    assert [sheet.cell(row, 1).value for row in (4, 5)] == [spread["ordos_2"].number, spread["ordos"].number]
    assert sheet.cell(4, column).value == pytest.approx(1203.15)
    assert sheet.cell(6, 1).value is None  # 鄂尔多斯 only: two rows
    assert errors == []


def test_a_city_bureau_opens_its_own_dashboard(page, spread, errors, tmp_path):
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    sign_in(page, bureau.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/dashboards/")
    expect(page.get_by_role("heading", name="包头市 统计分析")).to_be_visible()
    expect(page.get_by_label("牵头盟市", exact=True)).to_have_count(0)
    expect(page.locator(".dashboard-scope")).to_contain_text("共 2 份申报")
    table = page.locator("#group-1 tbody")
    expect(table).to_contain_text(spread["baotou"].number)
    expect(table).to_contain_text(spread["joined"].number)
    expect(table).not_to_contain_text(spread["ordos"].number)
    assert_charts_drawn(page)

    # Only what waits for the 盟市 itself: the filter narrows the table and the download alike.
    page.get_by_label("状态", exact=True).select_option(label="待盟市初审")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".dashboard-scope")).to_contain_text("共 1 份申报")
    expect(table).not_to_contain_text(spread["joined"].number)
    with page.expect_download() as info:
        page.locator("#group-1 .table-head").get_by_role("link", name="下载 Excel").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("包头市")
    sheet = load_workbook(path).active
    assert sheet.cell(4, 1).value == spread["baotou"].number and sheet.cell(5, 1).value is None
    assert errors == []


def test_after_a_new_submission_the_page_says_its_figures_are_being_recounted_then_shows_them(
    page, spread, errors, tmp_path
):
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    sign_in(page, department.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/dashboards/")
    footer = page.locator("#group-1 tfoot")
    expect(footer).to_contain_text("881.85")  # the mean 2023 output of the four
    new = submitted(spread["baotou"].call, "150500", cluster_name="通辽铝基新材料集群", output__2023="960.00")

    page.reload()
    expect(page.locator(".dashboard-scope")).to_contain_text("共 5 份申报")  # the counts are live
    notice = page.get_by_role("status").filter(has_text="正在重新统计")
    expect(notice).to_be_visible()
    expect(footer).to_contain_text("881.85")  # as last counted
    assert_charts_drawn(page)
    page.locator("#figures").screenshot(path=tmp_path / "recounting.png")

    # The server counts them once that page is sent: a later view has them (the live server may
    # still be counting when the first reload arrives).
    for _ in range(20):
        page.reload()
        if not notice.count():
            break
        page.wait_for_timeout(250)
    expect(notice).to_have_count(0)
    expect(footer).to_contain_text("897.48")  # with the new cluster's 960.00
    expect(page.locator("#group-1 tbody")).to_contain_text(new.number)
    assert errors == []

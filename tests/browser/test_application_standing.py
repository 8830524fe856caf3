"""Where a decided application stands, as its applicant and the 自治区 see it: the decision, the amount and the
公示 period first, the 流程进度 tracker with the 公示 as the current step, and the official documents as the
downloads. Each page is checked with axe-core and for sideways scrolling at 1366 and 390 px wide."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import as_user, look_at_both_widths


def test_the_applicant_reads_the_decision_first_and_where_it_stands(page, in_publicity):
    app, department = in_publicity
    today = timezone.localdate()
    period = f"{today:%Y-%m-%d} 至 {today + timedelta(days=6):%Y-%m-%d}"

    as_user(page, app.created_by)
    home = page.locator(".application-standing")
    expect(home).to_contain_text("拟支持，公示中")
    expect(home).to_contain_text("800.00 万元")
    look_at_both_widths(page, "standing-home")

    home.get_by_role("link", name="查看申报书与进度").click()
    headline = page.locator(".decision-headline")
    expect(headline).to_contain_text("拟支持，公示中")
    expect(headline).to_contain_text("800.00")
    expect(headline).to_contain_text(period)
    tracker = page.locator(".stage-tracker")
    current = tracker.locator('[aria-current="step"]')
    expect(current).to_contain_text("公示")
    expect(current).to_contain_text(period)
    expect(tracker.locator(".stage-done").filter(has_text="审定")).to_contain_text("拟支持")
    expect(tracker).to_contain_text("自治区工业和信息化厅 公示中")
    expect(page.locator(".official-documents")).to_contain_text("正式申报文件（第1版）")
    expect(page.get_by_text("草稿 PDF")).to_have_count(0)
    look_at_both_widths(page, "standing-overview")

    as_user(page, department)
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    expect(page.locator('.stage-tracker [aria-current="step"]')).to_contain_text("公示")
    look_at_both_widths(page, "standing-review")

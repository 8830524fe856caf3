"""公示 to 立项 through real pages: anyone reads the public 公示 without signing in and sends an 异议
(first with mistakes, told beside each field); the 自治区 reads and answers it on the decide page; once
the period is over it establishes the application and downloads the 立项通知. Each page is checked with
axe-core at 1366 and 390 px wide.
"""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from applications.demo import demo_pdf
from reviews.models import Decision, Objection
from tests import factories
from tests.browser.conftest import look_at_both_widths, sign_in
from tests.pdf import pdf_text


def test_an_objection_to_the_publicity_is_answered_before_establishing(page, in_publicity):
    app, department = in_publicity
    page.set_viewport_size({"width": 1366, "height": 900})

    # 1. Anyone reads the 公示, without signing in.
    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name="公示", exact=True).click()
    table = page.locator(".publicity-table")
    expect(table).to_contain_text("包头稀土新材料产业集群")
    expect(table).to_contain_text("800.00")
    expect(page.locator("main")).to_contain_text("实名")
    look_at_both_widths(page, "publicity")

    # 2. An 异议 with mistakes is told what to fix beside each field, and keeps what was typed.
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("工作单位").fill("包头市某稀土企业")
    page.get_by_label("联系电话").fill("12345")
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写您的真实姓名")
    expect(page.locator(".error-summary")).to_contain_text("联系电话格式不正确")
    expect(page.get_by_label("工作单位")).to_have_value("包头市某稀土企业")
    look_at_both_widths(page, "objection-errors")

    # 3. Corrected, with a file, it is taken.
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("联系电话").fill("13904721234")
    page.get_by_label("异议内容").fill("申报的2023年产值与统计部门数据不一致。")
    page.get_by_label("证明材料（可选）").set_input_files(
        {"name": "统计数据.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("evidence")}
    )
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("main")).to_contain_text("异议已提交")
    assert Objection.objects.get(application=app).file_type == "pdf"

    # 4. The 自治区 reads it on the decide page and answers it; 立项 waits for the answer and the period.
    sign_in(page, department.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/reviews/{app.pk}/decide/")
    objection = page.locator(".objection")
    expect(objection).to_contain_text("王建国")
    expect(objection).to_contain_text("统计数据.pdf")
    expect(page.locator("#objections h2")).to_contain_text("1 条待答复")
    page.get_by_label("不成立").check()
    page.get_by_label("处理意见").fill("经核实，申报产值与统计年鉴一致，异议不成立。已电话告知异议人。")
    look_at_both_widths(page, "decide")
    page.get_by_role("button", name="答复异议").click()
    expect(objection).to_contain_text("不成立")

    # 5. The period over, 立项; its notice downloads as a PDF that says so.
    today = timezone.localdate()
    Decision.objects.filter(application=app).update(
        publicity_starts=today - timedelta(days=8), publicity_ends=today - timedelta(days=1)
    )
    page.reload()
    expect(page.locator("#objections h2")).not_to_contain_text("待答复")
    page.get_by_role("button", name="公示期满立项").click()
    expect(page.locator("main")).to_contain_text("已立项")
    page.goto(f"{page.base_url}/reviews/{app.pk}/decide/")
    with page.expect_download() as info:
        page.get_by_role("link", name="立项通知（PDF）").click()
    path = info.value.path()
    text = pdf_text(path)
    assert "立项通知" in text and "800.00" in text and app.number in text

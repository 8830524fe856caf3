"""会签 and 修改说明 through real pages: the participating 盟市 signs, then the lead 盟市 may recommend; a
resubmission's 修改说明 is read beside the diff. Screenshots go to $SHENBAO_SCREENSHOTS (default <tmp>/shots)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from applications.models import Application, Status
from reviews import initial_review
from reviews.models import Countersign
from tests import factories
from tests.browser.conftest import as_user, look_at_both_widths

NOTE = "已核实2023年集群总产值为1450.80亿元，统计口径为规上企业；通辽配套企业名单已补充。"


@pytest.fixture
def cross_region(page, settings, tmp_path):
    """A 包头 cluster with 通辽 taking part, submitted as 第1版 and site-visited by 包头."""
    settings.MEDIA_ROOT = tmp_path
    factories.open_call()
    lead = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    tongliao = factories.user(Role.BUREAU, region_code="150500", full_name="何建军")
    app = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    initial_review.record_site_visit(app, lead, timezone.localdate(), "王伟、赵敏", "生产经营正常，数据属实")
    return app, lead, tongliao


def test_the_participating_bureau_signs_and_the_lead_then_recommends(page, cross_region):
    app, lead, tongliao = cross_region

    # 1. The lead 盟市 may not recommend yet: the page names the 盟市 still to sign.
    as_user(page, lead)
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    expect(page.locator("#actions")).to_contain_text("通辽市尚未对本版申报材料会签，暂不能推荐")
    expect(page.locator("#countersign")).to_contain_text("待会签")
    expect(page.locator("#recommend-form")).to_have_count(0)

    # 2. 通辽 was told, opens the application, and a missing opinion is pointed out next to its field.
    as_user(page, tongliao)
    page.goto(f"{page.base_url}/notifications/")
    expect(page.locator("main")).to_contain_text("本盟市参与的跨盟市申报已提交")
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    form = page.locator("#countersign-form")
    form.get_by_label("同意", exact=True).check()
    form.get_by_role("button", name="提交会签意见").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写会签意见")
    expect(page.locator("#countersign-form").get_by_label("同意", exact=True)).to_be_checked()
    page.locator("#countersign-form").get_by_label("会签意见").fill(
        "通辽市同意联合培育该集群。经核实，本市两家配套企业的产能、从业人员数据与申报材料一致。"
    )
    look_at_both_widths(page, "countersign-form")
    page.locator("#countersign-form").get_by_role("button", name="提交会签意见").click()
    expect(page.locator(".alert-success").first).to_contain_text("会签意见已提交")
    expect(page.locator("#actions")).to_contain_text("对第1版会签：同意")
    expect(page.locator("#countersign-form")).to_have_count(0)
    assert Countersign.objects.get(application=app).agrees

    # 3. The lead 盟市 reads the opinion and recommends.
    as_user(page, lead)
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    expect(page.locator("#countersign")).to_contain_text("两家配套企业的产能")
    look_at_both_widths(page, "countersign-lead")
    page.get_by_label("推荐意见").fill("经实地核实并经通辽市会签，同意推荐。")
    page.get_by_label("盖章的推荐文件").set_input_files(
        {"name": "推荐文件.pdf", "mimeType": "application/pdf", "buffer": demo.demo_pdf("recommendation")}
    )
    page.get_by_role("button", name="确认推荐").click()
    expect(page.locator(".page-header")).to_contain_text("待自治区受理")
    assert Application.objects.get(pk=app.pk).status == Status.RECOMMENDED


def test_a_resubmission_carries_its_revision_note_to_the_changes_page(page, cross_region):
    app, lead, _tongliao = cross_region
    initial_review.return_for_revision(app, lead, "请核实2023年集群总产值，并补充通辽配套企业名单。")
    draft = Application.objects.get(pk=app.pk)
    draft.data = {**draft.data, "output__2023": "1450.80"}
    draft.save()

    # The applicant must say what it changed; the reason it answers is shown above the field.
    as_user(page, app.created_by)
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    expect(page.locator("main")).to_contain_text("请核实2023年集群总产值")
    page.get_by_role("button", name="确认重新提交").click()
    expect(page.locator(".error-summary")).to_contain_text("重新提交须填写修改说明")
    page.get_by_label("修改说明").fill(NOTE)
    look_at_both_widths(page, "revision-note-form")
    page.get_by_role("button", name="确认重新提交").click()
    expect(page.get_by_role("heading", name=re.compile("申报回执"))).to_be_visible()

    # The lead 盟市 reads the note beside what changed.
    as_user(page, lead)
    page.goto(f"{page.base_url}/reviews/{app.pk}/changes/")
    expect(page.locator(".diff-note")).to_contain_text("通辽配套企业名单已补充")
    expect(page.locator("main")).to_contain_text("1450.80")
    look_at_both_widths(page, "changes-with-note")

"""The review workspace (issue 21): the 盟市 and 自治区 review pages and the expert's score page keep what the
official or expert does next in view beside a long application — a panel that stays on screen at 1366 px, a
bar at the bottom of a phone that jumps to it — and a refused form opens at its list of errors, each linked to
its field.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from reviews import experts, initial_review
from reviews.models import ExpertReview
from tests import factories
from tests.browser.conftest import as_user, look_at_both_widths

LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}

# Whether a person sees the element now: inside the window, and not covered (by the bottom bar, say) or
# scrolled out of its panel — the browser's own hit test at a point just inside its top-left corner.
SEEN = """el => {
  const r = el.getBoundingClientRect();
  if (r.height === 0 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return false;
  const x = Math.min(Math.max(r.left + 4, 0), innerWidth - 1), y = Math.min(Math.max(r.top + 4, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return hit !== null && (el === hit || el.contains(hit));
}"""
FOCUSED_SUMMARY = "() => document.activeElement && document.activeElement.matches('[data-error-summary]')"


def seen(locator):
    return locator.evaluate(SEEN)


@pytest.fixture
def desk(page, settings, tmp_path):
    """Three 包头 applications: one waiting for the 盟市 (checked on site, ready to recommend), one waiting for
    the 自治区, and one an expert has declared for and is scoring."""
    settings.MEDIA_ROOT = tmp_path
    factories.open_call()
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    expert = factories.user(Role.EXPERT, region_code="150100", affiliation="内蒙古工业大学", full_name="周明远")
    apps = {}
    for stage in ("submitted", "recommended", "scoring"):
        app = factories.submitted_application("150200")
        photos = [factories.upload("现场.png")]
        initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟、刘芳", "数据与现场一致。", photos)
        if stage != "submitted":
            initial_review.recommend(app, bureau, "经初审和实地核实，同意推荐。", factories.upload("推荐文件.pdf"))
        apps[stage] = app
    experts.assign(apps["scoring"], department, [expert])
    review = ExpertReview.objects.get(application=apps["scoring"], expert=expert)
    experts.declare(review, expert, has_conflict=False)
    return {"bureau": bureau, "department": department, "expert": expert, "review": review, **apps}


def open_as(page, user, path, viewport=LAPTOP):
    as_user(page, user)
    page.set_viewport_size(viewport)
    page.goto(f"{page.base_url}{path}")


def scroll_far_down(page):
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight * 0.6)")


# --- 盟市: the recommend form stays beside the application ---


def test_the_bureau_sees_the_recommend_form_beside_the_application_wherever_it_reads(page, desk):
    open_as(page, desk["bureau"], f"/reviews/{desk['submitted'].pk}/")
    assert seen(page.get_by_label("推荐意见"))
    scroll_far_down(page)
    assert page.evaluate("window.scrollY") > 4000
    assert seen(page.get_by_role("heading", name="办理"))
    assert seen(page.get_by_label("推荐意见"))
    assert seen(page.get_by_role("button", name="确认推荐"))
    # The page's contents are in the panel too: a jump to a section of the application lands on it.
    panel = page.locator(".workspace-panel")
    panel.get_by_text("申报书各章节").click()
    panel.get_by_role("link", name="附件材料").click()
    assert seen(page.locator("#section-attachments h3"))
    look_at_both_widths(page, "review-bureau")


def test_on_a_phone_the_bar_at_the_bottom_takes_the_bureau_to_the_form(page, desk):
    open_as(page, desk["bureau"], f"/reviews/{desk['submitted'].pk}/", PHONE)
    bar = page.locator(".workspace-bar").get_by_role("link", name="办理：推荐 / 退回 ↓")
    expect(bar).to_be_visible()
    assert not seen(page.get_by_label("推荐意见"))  # the form is below the application on a phone
    scroll_far_down(page)
    assert seen(bar)  # and the bar stays at the bottom of the screen
    bar.click()
    assert seen(page.get_by_role("heading", name="办理"))
    assert seen(page.get_by_label("推荐意见"))
    # The page's contents are folded at the top, not spread over a phone's screen.
    page.evaluate("window.scrollTo(0, 0)")
    contents = page.locator(".workspace-jumps-phone")
    expect(contents.get_by_role("link", name="实地核实记录")).to_be_hidden()
    contents.get_by_text("本页目录").click()
    contents.get_by_role("link", name="实地核实记录").click()
    assert seen(page.get_by_role("heading", name="实地核实记录"))


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_a_return_without_a_reason_opens_at_the_error_summary(page, desk, viewport):
    open_as(page, desk["bureau"], f"/reviews/{desk['submitted'].pk}/", viewport)
    page.get_by_role("button", name="确认退回").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("退回理由：请填写退回理由。")
    assert seen(summary)
    assert page.evaluate(FOCUSED_SUMMARY)
    # The message is also next to the field, and the summary's link goes to that field.
    form = page.locator("#return-form")
    expect(form.locator(".has-error")).to_contain_text("请填写退回理由。")
    summary.get_by_role("link", name="退回理由：请填写退回理由。").click()
    expect(page.get_by_label("退回理由")).to_be_focused()
    assert seen(page.get_by_label("退回理由"))


# --- 自治区: 受理 beside the application ---


def test_the_region_sees_acceptance_beside_the_application(page, desk):
    open_as(page, desk["department"], f"/reviews/{desk['recommended'].pk}/")
    scroll_far_down(page)
    assert seen(page.get_by_role("link", name="受理并随机抽取专家"))
    assert seen(page.get_by_label("退回理由"))
    # The recommendation's file: its size in KB, its SHA-256 only under 技术信息.
    recommendation = page.locator("#recommendations")
    expect(recommendation).to_contain_text("KB")
    expect(recommendation.get_by_text("SHA-256")).to_be_hidden()
    recommendation.get_by_text("技术信息").click()
    expect(recommendation.get_by_text("SHA-256")).to_be_visible()
    look_at_both_widths(page, "review-region")


# --- 评审专家: the score sheet beside what it scores ---


def expert_page(desk):
    return f"/reviews/expert/{desk['review'].pk}/"


def test_the_expert_scores_beside_the_content(page, desk):
    open_as(page, desk["expert"], expert_page(desk))
    scroll_far_down(page)
    first = desk["review"].version.schema.rubric[0]
    assert seen(page.locator(f"#score_{first.key}"))
    # A dimension's link to the section it scores lands on that section, and the sheet is still there.
    page.locator(".score-sections").first.get_by_role("link").first.click()
    assert seen(page.locator(f"#section-{first.sections[0]} h3"))
    assert seen(page.locator(f"#score_{first.key}"))
    look_at_both_widths(page, "expert-review")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_an_incomplete_score_sheet_opens_at_its_error_summary(page, desk, viewport):
    rubric = desk["review"].version.schema.rubric
    first, second = rubric[0], rubric[1]
    open_as(page, desk["expert"], expert_page(desk), viewport)
    page.locator(f"#score_{first.key}").fill(str(first.weight - 2))
    page.locator(f"#score_{second.key}").fill(str(second.weight + 5))  # more than the dimension allows
    page.get_by_role("button", name="提交评分").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("评分未提交")
    assert seen(summary)
    assert page.evaluate(FOCUSED_SUMMARY)
    # One line per problem, each linked to its field; the field says the same next to it.
    expect(summary.locator("li")).to_have_count(len(rubric))  # every dimension but the first, and the 总体评审意见
    over = summary.get_by_role("link", name=f"2. {second.title} 得分")
    expect(over).to_have_attribute("href", f"#score_{second.key}")
    expect(page.locator(f"#score_{second.key}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#score_{second.key}_error")).to_be_visible()
    expect(page.locator("#opinion_error")).to_be_visible()
    summary.get_by_role("link", name="总体评审意见").click()
    expect(page.locator("#opinion")).to_be_focused()
    assert seen(page.locator("#opinion"))
    # What was typed is kept.
    expect(page.locator(f"#score_{first.key}")).to_have_value(str(first.weight - 2))
    if viewport is PHONE:
        look_at_both_widths(page, "expert-review-refused")


def test_on_a_phone_the_bar_at_the_bottom_takes_the_expert_to_the_score_sheet(page, desk):
    open_as(page, desk["expert"], expert_page(desk), PHONE)
    scroll_far_down(page)
    bar = page.locator(".workspace-bar").get_by_role("link", name="填写评分表 ↓")
    assert seen(bar)
    bar.click()
    assert seen(page.get_by_role("heading", name="专家评分表"))

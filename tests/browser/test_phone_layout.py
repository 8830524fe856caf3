"""On a 390×844 phone (issue 21): the editor opens on a field, not on the list of sections; year tables
keep their labels in view; inbox rows are cards with their 审核 button in reach; nothing scrolls sideways."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from reviews import experts, initial_review
from tests import factories
from tests.browser.conftest import as_user, look_at_both_widths, sign_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def draft(page):
    """A complete draft of an approved applicant, and that applicant."""
    call = factories.open_call()
    applicant = factories.user(Role.APPLICANT)
    app = factories.application(applicant, call, data={**factories.application_defaults(), **demo.COMPLETE})
    return app, applicant


@pytest.fixture
def submitted(page, media):
    return factories.submitted_application("150200", name="包头市稀土新材料产业集群发展促进会")


def on_phone(page):
    page.set_viewport_size(PHONE)


def section_url(page, app, key):
    return f"{page.base_url}/applications/{app.pk}/section/{key}/"


def lines_of(locator):
    """How many lines the text of an element takes on the page, as a person would count them."""
    return locator.evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el);
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size; }"""
    )


def within_width(page, locator):
    box = locator.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    return box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_editor_on_a_phone_opens_on_a_field_under_a_one_line_section_selector(page, draft):
    app, applicant = draft
    keys = app.schema.section_keys
    as_user(page, applicant)
    on_phone(page)
    page.goto(section_url(page, app, keys[0]))

    picker = page.locator(".section-picker summary")
    expect(picker).to_have_text(re.compile(rf"^第 1/{len(keys)} 节 · {app.schema.section_title(keys[0])}"))
    expect(page.locator(".section-nav")).to_be_hidden()  # the long list is folded, not above the form
    first_field = page.locator("#section-form :is(input, select, textarea):visible").first
    box = first_field.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "the first field is below the first screen"

    # The selector opens into every section and goes to the one chosen; the pager leads on at the foot.
    picker.click()
    page.locator(".section-picker").get_by_role("link", name=re.compile(app.schema.section_title(keys[4]))).click()
    expect(picker).to_have_text(re.compile(rf"^第 5/{len(keys)} 节 · {app.schema.section_title(keys[4])}"))
    expect(page.get_by_role("navigation", name="翻页").get_by_role("link", name=re.compile("下一节"))).to_be_visible()
    look_at_both_widths(page, "phone-editor-section")
    page.set_viewport_size(PHONE)
    expect(page.locator(".section-nav")).to_be_hidden()
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.locator(".section-nav")).to_be_visible()  # the desktop keeps its sidebar
    expect(page.locator(".section-picker")).to_be_hidden()


def test_the_section_selector_works_without_javascript(browser, page, draft):
    app, applicant = draft
    keys = app.schema.section_keys
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.base_url = page.base_url
        sign_in(plain, applicant.username, factories.PASSWORD)
        plain.goto(f"{page.base_url}/applications/{app.pk}/")
        picker = plain.locator(".section-picker summary")
        expect(picker).to_have_text(re.compile("^概览与填报说明"))
        picker.click()
        plain.locator(".section-picker").get_by_role("link", name=app.schema.section_title(keys[2])).click()
        expect(picker).to_have_text(re.compile(rf"^第 3/{len(keys)} 节 · {app.schema.section_title(keys[2])}"))
    finally:
        context.close()


def test_the_overview_on_a_phone_names_itself_in_the_selector(page, draft):
    app, applicant = draft
    as_user(page, applicant)
    on_phone(page)
    page.goto(f"{page.base_url}/applications/{app.pk}/")
    expect(page.locator(".section-picker summary")).to_have_text(re.compile("^概览与填报说明"))
    look_at_both_widths(page, "phone-editor-overview")


@pytest.mark.parametrize(
    "section, table",
    [("industry", ".year-table"), ("innovation", ".matrix-table:not(.rows-table)")],
    ids=["year table", "标准 grid"],
)
def test_a_year_table_keeps_its_row_labels_in_view_when_its_years_scroll_sideways(page, draft, section, table):
    app, applicant = draft
    as_user(page, applicant)
    on_phone(page)
    page.goto(section_url(page, app, section))
    scroller = page.locator(f".table-scroll:has(> {table})").first
    label = scroller.locator("tbody th").first
    before = label.bounding_box()

    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert scroller.evaluate("el => el.scrollLeft") > 0, "the table does not scroll at all on a phone"
    after = label.bounding_box()
    assert after["x"] == pytest.approx(before["x"], abs=1), "the row labels scrolled away with the years"
    last_year = scroller.locator("tbody tr").first.locator("input").last
    assert within_width(page, last_year)
    assert last_year.bounding_box()["x"] >= after["x"] + after["width"] - 1  # beside the labels, not under them
    look_at_both_widths(page, f"phone-editor-{section}")


def test_performance_indicators_are_one_card_per_row_on_a_phone(page, draft):
    app, applicant = draft
    as_user(page, applicant)
    on_phone(page)
    page.goto(section_url(page, app, "performance"))
    row = page.locator(".rows-table .list-row").first
    assert within_width(page, row)
    level = row.locator('[data-col="level1"]')
    assert within_width(page, level)
    assert level.bounding_box()["width"] >= 150  # wide enough to read the chosen 一级指标
    cell = level.locator("xpath=..")
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"一级指标"'
    # A row added on the phone is a card too.
    page.locator('[data-cell="indicators"] [data-add-row]').click()
    added = page.locator(".rows-table .list-row").last
    assert within_width(page, added.locator('[data-col="name"]'))
    look_at_both_widths(page, "phone-editor-performance")


@pytest.fixture
def bureau(page, submitted):
    return factories.user(Role.BUREAU, region_code="150200")


def test_the_inbox_on_a_phone_shows_each_row_as_a_card_with_its_审核_button_in_reach(page, bureau, submitted):
    as_user(page, bureau)
    on_phone(page)
    page.goto(f"{page.base_url}/reviews/")
    row = page.locator(".inbox-table tbody tr").first
    review = row.get_by_role("link", name="审核")
    expect(review).to_be_visible()
    assert within_width(page, review)
    assert review.bounding_box()["width"] >= 200  # a button across the card, easy to tap
    organisation = row.locator("td.name", has_text=submitted.organisation.name)
    assert lines_of(organisation) == 1  # the whole name on one line, under its column's name
    look_at_both_widths(page, "phone-inbox")


def test_a_long_list_keeps_its_header_in_view_on_a_desktop(page, bureau, submitted):
    as_user(page, bureau)
    page.set_viewport_size({"width": 1366, "height": 150})  # a window shorter than the list
    page.goto(f"{page.base_url}/reviews/")
    table = page.locator(".inbox-table")
    top = table.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(0, {top + 20})")  # the header row's own place is now above the window
    header = table.locator("thead th").first.bounding_box()
    assert header["y"] == pytest.approx(0, abs=1)


def test_the_bureau_home_lists_are_cards_on_a_phone(page, bureau, submitted):
    as_user(page, bureau)
    on_phone(page)
    page.goto(f"{page.base_url}/")
    review = page.locator(".card-table tbody tr").first.get_by_role("link", name="审核")
    assert within_width(page, review)
    assert lines_of(page.locator("td.name", has_text=submitted.organisation.name).first) == 1
    look_at_both_widths(page, "phone-bureau-home")


def test_the_receipt_on_a_phone_wraps_its_hash_inside_the_page(page, submitted):
    as_user(page, submitted.created_by)
    on_phone(page)
    page.goto(f"{page.base_url}/applications/{submitted.pk}/versions/1/")
    digest = page.locator("code.hash")
    expect(digest).to_have_text(submitted.versions.get().content_hash)
    assert within_width(page, digest)
    look_at_both_widths(page, "phone-receipt")


@pytest.fixture
def assigned(submitted):
    """`submitted`, site-visited and recommended by 包头, accepted by the 自治区 with one expert assigned."""
    bureau = factories.user(Role.BUREAU, region_code="150200")
    initial_review.record_site_visit(
        submitted, bureau, timezone.localdate(), "王伟", "属实", [factories.upload("现场.png")]
    )
    initial_review.recommend(submitted, bureau, "同意推荐", factories.upload())
    department = factories.user(Role.DEPARTMENT)
    expert = factories.user(Role.EXPERT, region_code="150100", full_name="周明远", affiliation="内蒙古工业大学")
    experts.assign(submitted, department, [expert])
    submitted.refresh_from_db()
    return expert


def test_an_experts_tasks_on_a_phone_are_cards_with_the_action_in_reach(page, assigned, submitted):
    as_user(page, assigned)
    on_phone(page)
    page.goto(f"{page.base_url}/")
    task = page.locator(".task-table tbody tr").first
    action = task.get_by_role("link").last
    expect(action).to_be_visible()
    assert within_width(page, action)
    assert lines_of(task.locator("td.name", has_text=submitted.organisation.name)) == 1
    look_at_both_widths(page, "phone-expert-home")


def test_the_department_home_and_inbox_fit_a_phone(page, submitted):
    initial_review.record_site_visit(
        submitted,
        factories.user(Role.BUREAU, region_code="150200"),
        timezone.localdate(),
        "王伟",
        "属实",
        [factories.upload("现场.png")],
    )
    initial_review.recommend(
        submitted, factories.user(Role.BUREAU, region_code="150200"), "同意推荐", factories.upload()
    )
    as_user(page, factories.user(Role.DEPARTMENT))
    on_phone(page)
    page.goto(f"{page.base_url}/")
    assert within_width(page, page.locator(".card-table tbody tr").first.get_by_role("link", name="审核"))
    look_at_both_widths(page, "phone-department-home")
    page.goto(f"{page.base_url}/reviews/")
    assert within_width(page, page.locator(".inbox-table tbody tr").first.get_by_role("link", name="审核"))
    look_at_both_widths(page, "phone-department-inbox")

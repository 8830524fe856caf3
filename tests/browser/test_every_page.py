"""Every role's main pages, at a laptop's and a phone's width: axe-core finds no serious or critical
violation and no page scrolls sideways (tests/browser/conftest.py, look_at_both_widths).

Each test visits all of a role's pages before it fails, and names every page that failed, so one run
lists all there is to fix rather than the first."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from portal.tests.test_footer import FULL
from reviews import experts, initial_review
from reviews.models import ExpertReview
from tests import factories
from tests.browser.conftest import as_user, look_at_both_widths
from tests.browser.test_registration_journey import open_the_2024_call

# What every signed-in person can open from the header.
ACCOUNT_PAGES = [("accounts:password_change", ()), ("accounts:two_factor", ())]


@pytest.fixture(autouse=True)
def full_footer(settings):
    """Every footer line set, both 备案 links included, as a production site shows them."""
    settings.SHENBAO_FOOTER = FULL


@pytest.fixture
def under_review(page, media):
    """A 包头 application, site-visited and recommended by its 盟市, accepted by the 自治区 and given to an expert."""
    open_the_2024_call()
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    expert = factories.user(Role.EXPERT, region_code="150100", affiliation="内蒙古工业大学", full_name="周明远")
    app = factories.submitted_application("150200", data={"cluster_name": "包头稀土新材料集群"})
    initial_review.record_site_visit(
        app, bureau, timezone.localdate(), "张伟", "数据与现场一致。", [factories.upload("现场.png")]
    )
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    experts.assign(app, department, [expert])
    app.refresh_from_db()
    return {"app": app, "bureau": bureau, "department": department, "expert": expert}


def look_at_each(page, name, paths):
    """look_at_both_widths on each path; the failures of all of them, not only the first."""
    failures = []
    for label, path in paths:
        page.goto(f"{page.base_url}{path}")
        try:
            look_at_both_widths(page, f"every-{name}-{label}")
        except AssertionError as failure:
            failures.append(f"{label} ({path}): {failure}")
    return failures


def urls(*names):
    return [(name.replace(":", "-"), reverse(name, args=args)) for name, args in names]


def with_call(app, *names):
    """The lists that show their table once a call is chosen, with the application's call chosen."""
    return [(f"{name.replace(':', '-')}-call", f"{reverse(name)}?call={app.call_id}") for name in names]


def test_the_pages_anyone_sees_signed_out_pass_axe_at_both_widths(page):
    open_the_2024_call()
    failures = look_at_each(page, "public", urls(("portal:home", ()), ("accounts:login", ()), ("portal:publicity", ())))
    page.goto(f"{page.base_url}{reverse('accounts:register')}")
    page.get_by_role("button", name="提交注册").click()  # empty: the error list at the top, each field's error
    page.locator(".error-summary").wait_for()
    try:
        look_at_both_widths(page, "every-public-register-errors")
    except AssertionError as failure:
        failures.append(f"register with errors: {failure}")
    assert failures == []


def test_the_applicants_pages_pass_axe_at_both_widths(page, under_review):
    applicant = under_review["app"].organisation.users.get(role=Role.APPLICANT)
    pk = under_review["app"].pk
    as_user(page, applicant)
    paths = urls(
        ("portal:home", ()),
        ("applications:overview", (pk,)),
        ("applications:receipt", (pk, 1)),
        ("applications:section", (pk, "cover")),
        ("applications:attachments", (pk,)),
        *ACCOUNT_PAGES,
    )
    assert look_at_each(page, "applicant", paths) == []


def test_the_bureaus_pages_pass_axe_at_both_widths(page, under_review):
    as_user(page, under_review["bureau"])
    paths = urls(
        ("portal:home", ()),
        ("reviews:inbox", ()),
        ("reviews:detail", (under_review["app"].pk,)),
        ("accounts:organisation_list", ()),
        ("dashboards:index", ()),
        ("documents:summary", ()),
        ("documents:recommendation_list", ()),
        *ACCOUNT_PAGES,
    )
    assert (
        look_at_each(
            page,
            "bureau",
            [*paths, *with_call(under_review["app"], "documents:summary", "documents:recommendation_list")],
        )
        == []
    )


def test_the_departments_pages_pass_axe_at_both_widths(page, under_review):
    as_user(page, under_review["department"])
    paths = urls(
        ("portal:home", ()),
        ("reviews:inbox", ()),
        ("reviews:detail", (under_review["app"].pk,)),
        ("reviews:scores", (under_review["app"].pk,)),
        ("reviews:pool", ()),
        ("accounts:organisation_list", ()),
        ("regions:list", ()),
        ("authoring:list", ()),
        ("dashboards:index", ()),
        ("documents:summary", ()),
        *ACCOUNT_PAGES,
    )
    assert look_at_each(page, "department", [*paths, *with_call(under_review["app"], "documents:summary")]) == []


def test_the_experts_pages_pass_axe_at_both_widths(page, under_review):
    review = ExpertReview.objects.get(application=under_review["app"])
    as_user(page, under_review["expert"])
    paths = urls(("reviews:expert_tasks", ()), ("reviews:expert_review", (review.pk,)), *ACCOUNT_PAGES)
    assert look_at_each(page, "expert", paths) == []


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        (
            Role.SYSTEM_ADMIN,
            [
                ("portal:home", ()),
                ("accounts:account_list", ()),
                ("accounts:organisation_list", ()),
                ("regions:list", ()),
            ],
        ),
        (Role.SECURITY_ADMIN, [("portal:home", ()), ("security:policy", ())]),
        (Role.AUDIT_ADMIN, [("portal:home", ()), ("audit:list", ())]),
    ],
)
def test_the_operators_pages_pass_axe_at_both_widths(page, role, pages):
    as_user(page, factories.user(role, full_name="运维人员"))
    assert look_at_each(page, role, urls(*pages, *ACCOUNT_PAGES)) == []


# The height of an element's text alone, without the cell's padding.
TEXT_HEIGHT = (
    "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().height; }"
)


def test_the_summary_and_recommendation_list_keep_each_number_on_one_line_on_a_phone(page, under_review):
    """申报编号 2024-150200-001 wrapped into three lines of a narrow column; the table scrolls instead."""
    as_user(page, under_review["bureau"])
    page.set_viewport_size({"width": 390, "height": 844})
    for _, path in with_call(under_review["app"], "documents:summary", "documents:recommendation_list"):
        page.goto(f"{page.base_url}{path}")
        number = page.locator(".number-list tbody td:nth-child(2)").first
        assert number.inner_text() == under_review["app"].number
        line = float(number.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        text_height = number.evaluate(TEXT_HEIGHT)
        assert text_height < 1.5 * line, f"{path}: 申报编号 takes {text_height}px, a line is {line}px"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_editor_of_a_draft_passes_axe_at_both_widths(page):
    """The pages an applicant fills in, editable: a text section, a table section, attachments, the check."""
    open_the_2024_call()
    applicant = factories.user(Role.APPLICANT)
    pk = factories.application(applicant).pk
    as_user(page, applicant)
    paths = urls(
        ("applications:section", (pk, "cover")),
        ("applications:section", (pk, "industry")),
        ("applications:attachments", (pk,)),
        ("applications:check", (pk,)),
    )
    assert look_at_each(page, "draft", [(f"{label}-{i}", path) for i, (label, path) in enumerate(paths)]) == []

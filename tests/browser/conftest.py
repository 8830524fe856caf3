"""Playwright for Python driving Debian's Chromium (never a downloaded browser) against a live server."""

import os
import tempfile
from base64 import b32decode
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from accounts.models import Role, User
from reviews import decisions, experts, initial_review
from reviews.tests.test_region_views import score
from tests import factories, otp

CHROMIUM = os.environ.get("SHENBAO_CHROMIUM", "/usr/bin/chromium")
# Where the journeys leave their screenshots for a person to look at.
SHOTS = Path(os.environ.get("SHENBAO_SCREENSHOTS") or Path(tempfile.gettempdir()) / "shots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM}）：apt-get install chromium fonts-noto-cjk")
    # Playwright's sync API keeps an event loop running in this thread while the browser is open; the
    # ORM calls tests make meanwhile are plain synchronous calls, so Django's async guard is relaxed
    # for exactly that long.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, reference_rows):
    # Browser tests commit for real so the live server sees their data, and the flush after each one
    # wipes what the data migrations created; put it back before the test starts.
    factories.put_back(reference_rows)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def sign_in(page, username, password):
    """Sign in as a person would, second factor included: on the code step, type the code the person's
    authenticator shows (computed from its key); on first sign-in, read the key the enrolment page shows
    for typing by hand, type its code, and acknowledge the recovery codes."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    path = urlsplit(page.url).path
    if path == "/accounts/2fa/verify/":
        enter_code(page, otp.code_for(User.objects.get(username=username)))
    elif path == "/accounts/2fa/setup/":
        bind_authenticator(page)
        with page.expect_navigation():
            page.get_by_role("link", name="我已妥善保存，继续").click()


def enter_code(page, code):
    page.get_by_label("动态验证码").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()


def bind_authenticator(page):
    """On the enrolment page: add the key shown to an authenticator and type its code."""
    key = b32decode(page.locator("#otp-secret").inner_text().replace(" ", ""))
    page.get_by_label("动态验证码").fill(otp.code_for_key(key))
    with page.expect_navigation():
        page.get_by_role("button", name="完成绑定").click()
    return key


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def as_user(page, user):
    """Whoever is signed in signs out, and `user` signs in (the test password, the second factor typed)."""
    page.goto(f"{page.base_url}/")
    if page.get_by_role("button", name="退出").count():
        sign_out(page)
    sign_in(page, user.username, factories.PASSWORD)


# --- Accessibility: axe-core, vendored from npm for the tests only (tests/browser/vendor/) ---

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8")


def axe_violations(page, impacts=("critical", "serious")):
    """The axe-core violations of the page as it is now, of the given impacts: [(rule id, help, targets)]."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern:
    # the CSP stays as the site sends it, and no inline script is added to the page.
    # Loaded once per document: the second width of a page reuses it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:5])
        for v in results["violations"]
        if v["impact"] in impacts
    ]


WIDTHS = ((1366, 768), (390, 844))  # a laptop and a phone
# The elements reaching furthest past the page's right edge, innermost named: what makes a page scroll sideways.
WIDEST = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)"""


def look_at_both_widths(page, name):
    """The page as it is now, at 1366 px and at a 390 px phone: no serious axe violation, no sideways
    scrolling, and a full-page screenshot of each (SHOTS/<name>-<width>.png) for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == [], f"{page.url} at {width}px"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways at {width}px, past its edge: {page.evaluate(WIDEST)}"
        page.evaluate("window.scrollTo(0, 0)")  # a sticky bar stays at the top of a full-page shot
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.fixture
def in_publicity(page, settings, tmp_path):
    """An application recommended, scored by one expert and supported with 800 万元: in its 公示 from today
    for six days. Returns it and the 自治区 account that decided it."""
    settings.MEDIA_ROOT = tmp_path
    factories.open_call()
    bureau = factories.user(Role.BUREAU, region_code="150200")
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    expert = factories.user(Role.EXPERT, region_code="150100", full_name="周明远")
    app = factories.submitted_application("150200", data={"cluster_name": "包头稀土新材料产业集群"})
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟", "属实", [factories.upload("现场.png")])
    initial_review.recommend(app, bureau, "同意推荐", factories.upload())
    experts.assign(app, department, [expert])
    score(app, expert, 80)
    today = timezone.localdate()
    decisions.support(app, department, "800.00", today, today + timedelta(days=6))
    return app, department

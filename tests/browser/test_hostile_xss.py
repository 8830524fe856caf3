"""In a real browser: a payload in a conflict value or a chart label is shown as text, never run.

static/js writes every server-provided string with textContent (autosave messages, conflict values)
and Chart.js draws labels on a canvas; these tests would catch an innerHTML sink coming back.
"""

from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Status
from applications.records import start_application
from documents.tests.submitted import submitted
from tests import factories
from tests.browser.conftest import sign_in

FLAG = "window.__xss"
PAYLOAD = '"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
ELEMENTS = "document.querySelectorAll('img[onerror], img[src=\"x\"], script:not([src]):not([type])').length"


def assert_inert(p):
    assert p.evaluate(f"typeof {FLAG}") == "undefined", "the payload ran"
    assert p.evaluate(ELEMENTS) == 0, "the payload became markup"


def test_a_payload_in_the_other_tabs_value_is_shown_as_text_in_the_conflict(page):
    factories.open_call()
    user = factories.user(Role.APPLICANT)
    app = start_application(user, factories.open_call())
    sign_in(page, user.username, factories.PASSWORD)
    url = f"{page.base_url}/applications/{app.pk}/section/industry/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.locator('[name="industry_chain"]').fill(PAYLOAD)
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_contain_text("已保存", timeout=10_000)
    other.locator('[name="industry_chain"]').fill("第二个页面的内容")
    other.evaluate("window.shenbaoAutosave.flush()")

    conflict = other.locator('[data-conflict-for="industry_chain"]')
    expect(conflict).to_contain_text(PAYLOAD)  # the other tab's value, as the characters typed
    assert_inert(other)
    page.reload()  # the saved value comes back from the server into the field as text (the other tab's
    # pending edit, kept in this browser's storage, is then restored over it: that is the editor's rule)
    assert page.evaluate("document.querySelector('[name=industry_chain]').defaultValue") == PAYLOAD
    assert_inert(page)


def test_a_payload_in_a_cluster_name_is_a_chart_label_drawn_as_text(page):
    call = factories.open_call()
    submitted(call, status=Status.RECOMMENDED, cluster_name=PAYLOAD, output__2023="1402.60")
    submitted(call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群", output__2023="820.40")
    department = factories.user(Role.DEPARTMENT)
    sign_in(page, department.username, factories.PASSWORD)
    labels = []
    for path in ("/dashboards/",):
        page.goto(page.base_url + path)
        expect(page.locator("canvas[data-chart]").first).to_have_attribute("data-drawn", "true")
        labels += page.evaluate("Object.values(Chart.instances).flatMap(c => (c.data.labels || []).map(String))")
        for canvas in page.locator("canvas[data-drawn='true']").all():
            canvas.hover()  # tooltips are drawn too
        assert_inert(page)
    if PAYLOAD not in labels:
        # The cluster-level charts are on the group pages: follow the first link to one.
        link = page.locator("a[href*='group']").first
        if link.count():
            link.click()
            expect(page.locator("canvas[data-chart]").first).to_have_attribute("data-drawn", "true")
            labels += page.evaluate("Object.values(Chart.instances).flatMap(c => (c.data.labels || []).map(String))")
            for canvas in page.locator("canvas[data-drawn='true']").all():
                canvas.hover()
            assert_inert(page)
    assert PAYLOAD in labels, f"the payload is not a chart label, the test proves nothing: {labels[:20]}"

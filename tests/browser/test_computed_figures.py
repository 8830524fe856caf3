"""Issue 20, 指南一致性, in the browser: the figures the guide asks to agree (每万人有效发明专利拥有量,
研发投入强度) show the value computed from the other cells while typing, the server's warning appears and
goes beside the field, exactly at the 2-decimal rounding; and 表一's 否 stops the 提交前检查."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications.records import start_application
from calls.schema.checks import derivations
from tests import factories
from tests.application_data import complete_data
from tests.browser.conftest import look_at_both_widths, sign_in


@pytest.fixture
def draft(page):
    # Depends on `page` so the reference rows are back and the database is the live server's.
    call = factories.open_call()
    user = factories.user(Role.APPLICANT)
    return start_application(user, call), user


def wait_saved(page):
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^已保存"), timeout=10_000)


def test_computed_figures_and_their_warnings_follow_the_typing(page, draft):
    app, user = draft
    app.data = {"output__2021": "800.00"}  # 集群总产值 is on another page (二、主导产业情况)
    app.save()
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/section/innovation/")

    per_10k = page.locator("#calc-patents_per_10k")
    warning = page.locator("#warn-patents_per_10k")
    expect(per_10k).to_be_hidden()  # nothing to compute from yet
    page.fill('[name="employees"]', "80000")
    page.fill('[name="patents"]', "1")
    expect(per_10k).to_have_text("按填报数据计算约为 0.13")  # 0.125, rounded half up
    page.fill('[name="patents_per_10k"]', "0.12")  # exactly half a cent below: agrees
    expect(per_10k).to_have_attribute("data-state", "agrees")
    wait_saved(page)
    expect(warning).to_be_hidden()
    page.fill('[name="patents_per_10k"]', "0.11")
    expect(per_10k).to_have_attribute("data-state", "differs")  # at once, before any save
    wait_saved(page)
    expect(warning).to_have_text(
        "每万人有效发明专利拥有量填报为 0.11，按有效发明专利 1 个 ÷ 从业人员 80000 人 × 10000 计算约为 0.13，请核实。"
    )
    page.fill('[name="patents"]', "")  # the hint needs every operand
    expect(per_10k).to_be_hidden()
    expect(warning).to_be_hidden()
    page.fill('[name="patents"]', "1")
    page.fill('[name="patents_per_10k"]', "0.13")
    wait_saved(page)
    expect(warning).to_be_hidden()

    # 研发投入强度 2021 = 研发投入总额 ÷ 集群总产值 (saved on the other page) × 100
    intensity = page.locator("#calc-rd_intensity__2021")
    page.fill('[name="rd_spend__2021"]', "17.01")
    expect(intensity).to_have_text("按填报数据计算约为 2.13%")  # 2.12625
    page.fill('[name="rd_intensity__2021"]', "2.12")
    wait_saved(page)
    rd_warning = page.locator("#warn-rd_intensity__2021")
    expect(rd_warning).to_contain_text("2021年研发投入强度填报为 2.12%")
    expect(page.locator("#section-warnings")).to_contain_text("2021年研发投入强度填报为 2.12%")
    rd_warning.scroll_into_view_if_needed()
    look_at_both_widths(page, "figures-innovation-warning")

    # After a reload the page shows the server's computed value and warning without any typing.
    page.reload()
    expect(intensity).to_have_text("按填报数据计算约为 2.13%")
    expect(rd_warning).to_be_visible()
    page.fill('[name="rd_intensity__2021"]', "2.13")
    expect(rd_warning).to_be_hidden()
    wait_saved(page)
    expect(rd_warning).to_be_hidden()
    expect(page.locator("#section-warnings")).to_be_hidden()


CASES = [  # (patents, employees, stated): the boundaries and some awkward quotients
    ("1", "80000", "0.12"), ("1", "80000", "0.13"), ("1", "80000", "0.11"), ("1", "80000", "0.14"),
    ("1", "3", "3333.33"), ("1", "3", "3333.34"), ("2", "3", "6666.67"), ("2", "3", "6666.66"),
    ("300", "20000", "150.00"), ("300", "20000", "150.01"), ("7", "123457", "0.57"), ("7", "123457", "0.56"),
    ("0", "5", "0.00"), ("0", "5", "0.01"), ("１２", "７", "17142.86"), ("1,000", "999", "10010.01"),
]  # fmt: skip


def test_the_browser_and_the_server_compute_the_same_figures(page, draft):
    app, user = draft
    quotient = derivations(app.schema)["patents_per_10k"]
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/section/innovation/")
    hint = page.locator("#calc-patents_per_10k")
    differences = []
    for patents, employees, stated in CASES:
        page.fill('[name="patents"]', patents)
        page.fill('[name="employees"]', employees)
        page.fill('[name="patents_per_10k"]', stated)
        # Saved before the hint is read: on a busy machine the answer to the previous case's save could
        # otherwise land between typing and reading, and its cells-written event recompute the hint.
        wait_saved(page)
        data = {"patents": patents, "employees": employees, "patents_per_10k": stated}  # read as the server reads
        server = (quotient.hint_text(data), "differs" if quotient.differs(data) else "agrees")
        browser = (hint.inner_text() if hint.is_visible() else "", hint.get_attribute("data-state"))
        if browser != server:
            differences.append(((patents, employees, stated), browser, server))
    assert differences == []


def test_the_check_page_says_a_no_in_table_one_stops_submission(page, draft, media):
    app, user = draft
    app.data = complete_data(app.schema) | {"no_accidents": "否"}
    app.save()
    factories.attach_required(app, user)
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    message = (
        "近三年发生过较大及以上安全、质量、环境污染等事故，或重大及以上网络安全事件和数据安全事件的，不符合申报条件。"
    )
    expect(page.locator(".check-list.blockers")).to_have_text(message)
    expect(page.get_by_role("button", name="确认提交")).to_be_disabled()
    look_at_both_widths(page, "check-table-one-no")
    page.get_by_role("link", name=message).click()
    expect(page.locator('[data-error-for="no_accidents"]')).to_have_text(message)
    look_at_both_widths(page, "basic-table-one-no")

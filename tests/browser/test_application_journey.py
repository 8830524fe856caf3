"""A new applicant fills the whole 2024 application through the page, fixes what the server flags,
uploads its evidence, passes the pre-submit check and submits; two tabs and a lost connection lose nothing."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications.demo import demo_pdf
from applications.models import Application, Status
from applications.records import start_application
from calls.schema.rules import condition_holds
from tests import factories
from tests.application_data import complete_data
from tests.browser.conftest import sign_in

SAVED = re.compile(r"^已保存")


@pytest.fixture
def applicant_user(page):
    # Depends on `page` so the reference rows are back and the database is the live server's.
    factories.open_call()
    return factories.user(Role.APPLICANT)


def section_url(page, app, key):
    return f"{page.base_url}/applications/{app.pk}/section/{key}/"


def wait_saved(page):
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)


def fill_list(page, cell, values, columns=None):
    container = page.locator(f'[data-cell="{cell}"]')
    for index, value in enumerate(values):
        container.locator("[data-add-row]").click()
        row = container.locator(".list-row").nth(index)
        if columns is None:
            row.locator('[data-col="text"]').fill(value)
            continue
        for col in columns:
            target = row.locator(f'[data-col="{col["key"]}"]')
            if col["type"] == "choice":
                target.select_option(value[col["key"]])
            else:
                target.fill(value[col["key"]])


def fill_cell(page, cell, value):
    """Type one schema cell's value into the page the way a person would."""
    kind = cell.kind
    if kind in {"choice"}:
        page.locator(f'input[name="{cell.name}"][value="{value}"]').check()
    elif kind == "accept":
        page.locator(f'input[name="{cell.name}"]').check()
    elif kind == "regions":
        for code in value:
            page.locator(f'input[name="{cell.name}"][value="{code}"]').check()
    elif kind in {"names", "text_list"}:
        fill_list(page, cell.name, value)
    elif kind == "rows":
        fill_list(page, cell.name, value, cell.field.columns)
    else:
        page.locator(f'[name="{cell.name}"]').fill(value)


def upload(page, slot_key, name):
    slot = page.locator(f"#slot-{slot_key}")
    slot.locator('input[type="file"]').last.set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(slot_key)}
    )
    slot.get_by_role("button", name="上传").click()
    expect(page.locator(f"#slot-{slot_key}")).to_contain_text(name)


def test_a_new_applicant_fills_every_section_and_submits(page, applicant_user):
    sign_in(page, applicant_user.username, factories.PASSWORD)
    page.get_by_role("button", name="开始填报申报书").click()
    app = Application.objects.get(organisation=applicant_user.organisation)
    schema = app.call.schema
    data = complete_data(schema)

    for section in schema.sections:
        page.goto(section_url(page, app, section.key))
        for field in section.fields:
            for cell in field.cells:
                if field.type != "derived" and not (cell.kind == "text" and field.default):
                    fill_cell(page, cell, data[cell.name])
        if section.key == "industry":
            # The server flags three decimals next to the field; the applicant corrects it.
            page.locator('[name="output__2021"]').fill("1056.345")
            wait_saved(page)
            error = page.locator('[data-error-for="output__2021"]')
            expect(error).to_contain_text("有3位小数")
            page.locator('[name="output__2021"]').fill(data["output__2021"])
            wait_saved(page)
            expect(error).to_be_hidden()
        wait_saved(page)
        expect(page.locator(f'[data-section-status="{section.key}"]')).not_to_have_text("有错误")

    app.refresh_from_db()
    assert {k: app.data.get(k, type(v)()) for k, v in data.items()} == data

    for slot in schema.slots:
        needed = slot.required or (slot.required_when and condition_holds(schema, slot.required_when, data))
        if needed:
            page.goto(f"{page.base_url}/applications/{app.pk}/attachments/")
            upload(page, slot.key, f"{slot.label}.pdf")

    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    expect(page.get_by_text("所有必填内容和必传附件均已完成，可以提交。")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name=re.compile("申报回执"))).to_be_visible()
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    expect(page.locator(".receipt")).to_contain_text(app.versions.get().content_hash)


def test_a_second_tab_saving_an_older_version_gets_a_conflict_and_keeps_its_text(page, applicant_user):
    app = start_application(applicant_user, factories.open_call())
    sign_in(page, applicant_user.username, factories.PASSWORD)
    page.goto(section_url(page, app, "industry"))
    other = page.context.new_page()
    other.goto(section_url(page, app, "industry"))

    page.locator('[name="industry_chain"]').fill("第一个页面填写的产业链情况")
    wait_saved(page)
    other.locator('[name="industry_chain"]').fill("第二个页面尚未刷新时填写的内容")
    other.evaluate("window.shenbaoAutosave.flush()")

    conflict = other.locator('[data-conflict-for="industry_chain"]')
    expect(conflict).to_contain_text("没有被覆盖")
    expect(conflict).to_contain_text("第一个页面填写的产业链情况")
    expect(other.locator('[name="industry_chain"]')).to_have_value("第二个页面尚未刷新时填写的内容")
    app.refresh_from_db()
    assert app.data["industry_chain"] == "第一个页面填写的产业链情况"

    conflict.get_by_role("button", name="使用我的内容").click()
    expect(other.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    app.refresh_from_db()
    assert app.data["industry_chain"] == "第二个页面尚未刷新时填写的内容"


def test_edits_made_while_the_server_is_unreachable_are_kept_and_sent_when_it_returns(page, applicant_user):
    app = start_application(applicant_user, factories.open_call())
    sign_in(page, applicant_user.username, factories.PASSWORD)
    page.goto(section_url(page, app, "basic"))
    page.locator('[name="area"]').fill("45.6")
    wait_saved(page)

    page.context.set_offline(True)
    page.locator('[name="bureau_contact"]').fill("刘海涛")
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_contain_text("已暂存在本机", timeout=10_000)
    app.refresh_from_db()
    assert "bureau_contact" not in app.data

    # The browser is closed while offline; the edit survives in the browser's storage...
    url = section_url(page, app, "basic")
    page.close()
    page = page.context.new_page()
    page.context.set_offline(False)
    page.goto(url)
    # ...and the reloaded page restores it into the field and sends it.
    expect(page.locator('[name="bureau_contact"]')).to_have_value("刘海涛")
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=15_000)
    app.refresh_from_db()
    assert app.data["bureau_contact"] == "刘海涛"
    assert app.data["area"] == "45.60"

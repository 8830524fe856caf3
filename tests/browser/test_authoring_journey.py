"""The 自治区 makes next year's call as it will every year: copies the 2024 call, edits the form in the
downloaded 字段表, uploads it, previews the form and its documents, sets the window and publishes; an
applicant then sees the new form and submits to it. Every page passes axe-core at both widths."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Application, Status
from authoring.fieldsheet_edits import FieldsheetEdit
from calls.models import Call
from tests import factories
from tests.application_data import complete_data
from tests.browser.conftest import look_at_both_widths, sign_in, sign_out

NEW_LABEL = "集群规划占地面积（平方公里）"
ADDED_LABEL = "集群规上企业数字化转型诊断覆盖率（%）"


def edit(content):
    sheet = FieldsheetEdit(content)
    sheet.set("字段", "字段代码", "area", "标签", NEW_LABEL)
    sheet.insert_after(
        "字段",
        "字段代码",
        "iiot_ratio",
        {"节代码": "digital", "字段代码": "diagnosis_ratio", "标签": ADDED_LABEL, "类型": "比例"},
    )
    return sheet.content()


@pytest.fixture
def source_call(page):
    return factories.open_call()


def test_the_region_copies_edits_previews_and_publishes_a_call_and_an_applicant_submits_to_it(
    page, source_call, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    sign_in(page, department.username, factories.PASSWORD)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="申报批次").click()
    expect(page.get_by_role("heading", name="申报批次", exact=True)).to_be_visible()
    look_at_both_widths(page, "authoring-calls")
    page.get_by_role("link", name="复制为新批次").click()
    expect(page.get_by_label("申报年度")).to_have_value("2025")
    look_at_both_widths(page, "authoring-call-copy")
    page.get_by_role("button", name="复制并新建").click()
    expect(page.get_by_role("heading", name=re.compile("2025年内蒙古自治区先进制造业集群申报"))).to_be_visible()
    look_at_both_widths(page, "authoring-call-created")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载字段表").click()
    edited = tmp_path / "2025字段表.xlsx"
    edited.write_bytes(edit(download.value.path().read_bytes()))
    page.get_by_label("字段表或结构文件").set_input_files(str(edited))
    page.get_by_role("button", name="上传并保存为新版本").click()
    expect(page.get_by_text("已保存为申报书结构第 2 版（未发布）")).to_be_visible()

    page.get_by_role("row", name=re.compile("第 2 版")).get_by_role("link", name="预览表单").click()
    expect(page.get_by_text(NEW_LABEL)).to_be_visible()
    expect(page.get_by_text(ADDED_LABEL)).to_be_visible()
    look_at_both_widths(page, "authoring-preview")
    href = page.get_by_role("link", name="申请报告（示例数据 PDF）").get_attribute("href")
    report = page.request.get(f"{page.base_url}{href}")
    assert report.headers["content-type"] == "application/pdf" and report.body().startswith(b"%PDF")
    page.go_back()

    page.get_by_role("link", name="设置").click()
    call = Call.objects.get(code="cluster-2025")
    page.get_by_label("申报开始时间").fill("2020-01-01T09:00")
    page.get_by_label("申报截止时间").fill("2020-01-01T08:00")
    page.get_by_role("button", name="保存").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("申报截止时间须晚于申报开始时间"))).to_be_visible()
    look_at_both_widths(page, "authoring-settings-errors")
    page.get_by_label("申报开始时间").fill("2020-01-01T09:00")
    page.get_by_label("申报截止时间").fill("2099-01-01T17:30")
    page.get_by_role("button", name="保存").click()

    page.get_by_role("row", name=re.compile("第 2 版")).get_by_role("link", name="发布…").click()
    expect(page.get_by_role("heading", name="与当前第", exact=False)).to_have_count(0)  # never published before
    look_at_both_widths(page, "authoring-publish")
    page.get_by_role("button", name="确认发布第 2 版").click()
    expect(page.get_by_text("已对申报单位公开")).to_be_visible()
    call.refresh_from_db()
    assert call.is_published and call.current_revision.number == 2
    sign_out(page)

    applicant = factories.user(Role.APPLICANT)
    sign_in(page, applicant.username, factories.PASSWORD)
    card = page.locator(".call-card", has_text="2025年内蒙古自治区先进制造业集群申报")
    card.get_by_role("button", name="开始填报申报书").click()
    app = Application.objects.get(organisation=applicant.organisation, call=call)
    page.goto(f"{page.base_url}/applications/{app.pk}/section/basic/")
    expect(page.get_by_text(NEW_LABEL)).to_be_visible()

    app.data = {**app.data, **complete_data(app.schema)}
    app.save()
    factories.attach_required(app, applicant)
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name=re.compile("申报回执"))).to_be_visible()
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.latest_version.schema_revision == call.current_revision

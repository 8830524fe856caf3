"""An applicant downloads its 申请报告, round-trips the Excel workbook through the page, submits, and anyone
scanning the printed code learns that the version is real."""

import hashlib
import io
import subprocess

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from applications.models import Application
from documents import jobs
from documents.record import format_code
from tests import factories
from tests.browser.conftest import sign_in
from tests.pdf import pdf_text


@pytest.fixture
def ready_applicant(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = factories.open_call()
    user = factories.user(Role.APPLICANT)
    app = factories.application(user, call)
    app.data.update(demo.COMPLETE)
    app.save()
    factories.attach_required(app, user)
    return user, app


def download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def set_value_beside(workbook, label, value):
    """Type `value` into the cell right of the label, as an official would in Excel."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == label:
                    sheet.cell(row=cell.row, column=cell.column + 1).value = value
                    return
    raise AssertionError(f"工作簿中没有“{label}”")


def test_the_applicant_downloads_documents_and_imports_an_edited_workbook(page, ready_applicant, tmp_path):
    user, app = ready_applicant
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/")

    report = download(page, "申请报告（草稿 PDF）", tmp_path)
    assert report.read_bytes().startswith(b"%PDF") and report.name.endswith(".pdf")
    text = pdf_text(report)
    assert "草稿" in text and "包头稀土新材料产业集群" in text

    workbook_path = download(page, "导出当前内容", tmp_path)
    workbook = openpyxl.load_workbook(workbook_path)
    set_value_beside(workbook, "集群占地面积（平方公里）", 52.8)
    edited = io.BytesIO()
    workbook.save(edited)
    (tmp_path / "edited.xlsx").write_bytes(edited.getvalue())

    page.get_by_role("link", name="上传Excel导入").click()
    page.get_by_label("Excel工作簿（.xlsx）").set_input_files(str(tmp_path / "edited.xlsx"))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-result .alert-success")).to_be_visible()
    app.refresh_from_db()
    assert app.data["area"] == "52.80"


def test_a_submitted_version_prints_a_code_that_the_verify_page_confirms(
    page, browser, ready_applicant, tmp_path, signing
):
    user, app = ready_applicant
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("申报书已提交")).to_be_visible()

    # The official PDF is made once, off the request, by the document worker (documents/official.py).
    page.goto(f"{page.base_url}/applications/{app.pk}/")
    expect(page.get_by_text("PDF 正在生成…").first).to_be_visible()
    jobs.work(once=True)
    page.reload()
    with page.expect_download() as info:
        page.locator("td a", has_text="PDF").first.click()
    path = tmp_path / "v1.pdf"
    info.value.save_as(path)
    version = Application.objects.get(pk=app.pk).latest_version
    code = format_code(version.content_hash)
    text = pdf_text(path)
    assert code in text and "草稿" not in text
    signature = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603, S607
    assert "Signature is Valid." in signature.stdout
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()

    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(f"{page.base_url}/verify/")
    stranger.get_by_label("验证码").fill(code)
    stranger.get_by_role("button", name="验证").click()
    expect(stranger.get_by_text("有效")).to_be_visible()
    expect(stranger.get_by_text(app.number)).to_be_visible()
    expect(stranger.get_by_text(sha256)).to_be_visible()  # the downloaded file is the one stored
    assert "包头稀土新材料产业集群" not in stranger.content()
    stranger.context.close()

"""An official asks for the 汇总表 PDF, watches it queue and lay out, and downloads it when the worker is done."""

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Status
from documents import jobs
from documents import summary as summary_module
from documents.tests.submitted import submitted
from tests import factories
from tests.browser.conftest import sign_in
from tests.pdf import pdf_text


@pytest.fixture
def worker():
    """The document worker (`manage.py run_document_jobs`) as a thread of the test process, started on demand."""
    stop = threading.Event()
    thread = threading.Thread(target=lambda: (jobs.work(stop=stop, poll=0.2), connection.close()))
    yield thread
    stop.set()
    if thread.is_alive():
        thread.join(30)


def test_the_official_sees_progress_then_downloads_the_pdf(page, worker, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    call = factories.open_call()
    apps = [
        submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群"),
        submitted(call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群"),
    ]
    official = factories.user(Role.DEPARTMENT)
    laying_out, go_on = threading.Event(), threading.Event()
    real_render = summary_module.render_pdf

    def slow_render(template, context, **metadata):
        laying_out.set()
        go_on.wait(30)  # hold the job at the layout step so the page can be seen saying so
        return real_render(template, context, **metadata)

    monkeypatch.setattr(summary_module, "render_pdf", slow_render)

    sign_in(page, official.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/documents/summary/")
    with page.expect_navigation():
        page.get_by_role("button", name="导出PDF").click()
    expect(page.locator(".job-status")).to_contain_text("排队中")  # no worker yet: the request did not wait

    worker.start()
    expect(page.get_by_text("正在排版 PDF")).to_be_visible(timeout=20_000)  # the page refreshes itself
    expect(page.locator(".job-status")).to_contain_text("生成中")
    go_on.set()

    link = page.get_by_role("link", name="下载 PDF")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.endswith(".pdf") and "申报汇总表" in path.name
    text = pdf_text(path)
    assert all(app.number in text for app in apps)

    page.goto(f"{page.base_url}/documents/summary/")
    expect(page.get_by_role("region", name="我的导出")).to_contain_text("已完成")

"""Slow exports run off the request: queued, made by a worker with progress, downloaded by their owner only."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from audit.models import AuditEntry
from documents import jobs
from documents import summary as summary_module
from documents.models import DocumentJob
from documents.tests.submitted import submitted
from documents.tests.threads import in_threads
from tests import factories
from tests.pdf import pdf_text


@pytest.fixture
def three(call):
    return [
        submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群"),
        submitted(call, status=Status.RECOMMENDED, cluster_name="包头装备制造集群"),
        submitted(call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群"),
    ]


def ask_for_pdf(client, call, **filters):
    return client.post(
        f"{reverse('documents:summary_pdf')}?call={call.pk}&{'&'.join(f'{k}={v}' for k, v in filters.items())}"
    )


def test_asking_for_the_pdf_queues_a_job_and_answers_at_once(client, department, call, three, media, monkeypatch):
    monkeypatch.setattr(summary_module, "render_pdf", lambda *a: pytest.fail("the request rendered the PDF"))
    client.force_login(department)
    response = ask_for_pdf(client, call)
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents:job", args=[job.pk])
    assert (job.owner, job.kind, job.status, job.parameters) == (
        department,
        "summary_pdf",
        "queued",
        {"call": str(call.pk)},
    )
    page = client.get(response.url).content.decode()
    assert "排队中" in page and '<meta http-equiv="refresh" content="2">' in page
    assert "下载 PDF" not in page
    # A second click while it waits does not queue the same work twice.
    assert ask_for_pdf(client, call).url == response.url and DocumentJob.objects.count() == 1


def test_a_job_waiting_long_says_whom_to_tell(client, department, call, three):
    client.force_login(department)
    job_page = ask_for_pdf(client, call).url
    assert "排队时间较长" not in client.get(job_page).content.decode()
    DocumentJob.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert "排队时间较长：文档生成进程可能未运行，请联系系统管理员" in client.get(job_page).content.decode()


def test_get_never_queues_a_job(client, department, call, three):
    client.force_login(department)
    assert client.get(reverse("documents:summary_pdf"), {"call": call.pk}).status_code == 405
    assert not DocumentJob.objects.exists()


def test_the_worker_runs_the_job_with_progress_and_the_owner_downloads_it(
    client, department, call, three, media, monkeypatch
):
    monkeypatch.setattr(summary_module, "CHUNK_SIZE", 1)  # report after every row
    seen = []
    real_render = summary_module.render_pdf

    def watching(template, context, **metadata):
        job = DocumentJob.objects.get()
        seen.append((job.status, job.step, job.done, job.total, client.get(reverse("documents:job", args=[job.pk]))))
        return real_render(template, context, **metadata)

    monkeypatch.setattr(summary_module, "render_pdf", watching)
    client.force_login(department)
    ask_for_pdf(client, call)
    assert jobs.work(once=True) == 1

    ((status, step, done, total, page),) = seen
    assert (status, step, done, total) == ("running", "排版 PDF", 3, 3)
    assert "生成中" in page.content.decode() and "正在排版 PDF" in page.content.decode()
    job = DocumentJob.objects.get()
    assert (job.status, job.done, job.total, job.error) == ("done", 3, 3, "")
    assert job.expires_at == job.finished_at + jobs.RESULT_LIFETIME
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "已完成" in page and "下载 PDF" in page and "http-equiv" not in page

    response = client.get(reverse("documents:job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    text = pdf_text(content)
    assert all(app.number in text for app in three) and "共 3 份" in text
    entry = AuditEntry.objects.filter(action="export").latest("pk")
    assert (entry.object_type, entry.detail["format"], entry.detail["job"]) == ("summary", "pdf", job.pk)
    # The summary page lists the export for its owner.
    assert reverse("documents:job", args=[job.pk]) in client.get(reverse("documents:summary")).content.decode()


def test_the_job_keeps_the_filters_and_the_scope_of_its_owner(client, bureau, call, three, media):
    client.force_login(bureau)
    ask_for_pdf(client, call, status=Status.RECOMMENDED)
    jobs.work(once=True)
    job = DocumentJob.objects.get()
    text = pdf_text(b"".join(client.get(reverse("documents:job_download", args=[job.pk])).streaming_content))
    assert three[1].number in text
    assert three[0].number not in text  # filtered out: submitted, not recommended
    assert three[2].number not in text  # 鄂尔多斯: outside the 包头 bureau's scope


def test_a_failure_is_shown_in_chinese_and_nothing_is_offered_for_download(
    client, department, call, three, media, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("cairo out of memory")

    monkeypatch.setattr(summary_module, "render_pdf", broken)
    client.force_login(department)
    ask_for_pdf(client, call)
    jobs.work(once=True)
    job = DocumentJob.objects.get()
    assert (job.status, job.error, job.file.name) == ("failed", jobs.FAILED_UNEXPECTEDLY, "")
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "失败" in page and "生成失败：系统处理时出错" in page and "cairo" not in page
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_filters_that_no_longer_hold_fail_with_a_message_the_owner_can_act_on(client, department, call, three, media):
    client.force_login(department)
    ask_for_pdf(client, call)
    call.is_published = False
    call.save()
    jobs.work(once=True)
    job = DocumentJob.objects.get()
    assert job.status == "failed" and job.error.startswith("筛选条件已失效")


def test_too_many_rows_are_refused_before_queueing_with_a_pointer_to_excel(
    client, department, call, three, monkeypatch
):
    monkeypatch.setattr(jobs, "SUMMARY_PDF_MAX_ROWS", 2)
    client.force_login(department)
    response = client.post(f"{reverse('documents:summary_pdf')}?call={call.pk}", follow=True)
    assert "PDF 汇总表一次最多 2 份申报（当前 3 份）" in response.content.decode()
    assert not DocumentJob.objects.exists()
    from regions.models import Region

    one_region = Region.objects.get(code="150600").pk
    assert ask_for_pdf(client, call, region=one_region).status_code == 302
    assert DocumentJob.objects.count() == 1


def test_only_the_owner_sees_or_downloads_a_job(client, department, call, three, media):
    client.force_login(department)
    ask_for_pdf(client, call)
    jobs.work(once=True)
    job = DocumentJob.objects.get()
    for other in (factories.user(Role.DEPARTMENT), factories.user(Role.BUREAU), factories.user(Role.AUDIT_ADMIN)):
        client.force_login(other)
        assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404
        assert reverse("documents:job", args=[job.pk]) not in client.get(reverse("portal:home")).content.decode()
    client.logout()
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_result_goes_through_the_configured_storage_not_a_path(client, department, call, three, settings):
    # InMemoryStorage has no path(): a job that wrote or read a filesystem path would fail here.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    client.force_login(department)
    ask_for_pdf(client, call)
    jobs.work(once=True)
    job = DocumentJob.objects.get()
    assert job.status == "done" and default_storage.exists(job.file.name)
    assert b"".join(client.get(reverse("documents:job_download", args=[job.pk])).streaming_content).startswith(b"%PDF")
    jobs.clean(now=job.expires_at + timedelta(seconds=1))
    assert not default_storage.exists(job.file.name) and not DocumentJob.objects.exists()


def test_clean_removes_expired_files_and_fails_jobs_whose_worker_died(department, media):
    now = timezone.now()
    done = DocumentJob.objects.create(owner=department, kind="summary_pdf", title="汇总表", status="done")
    done.file.save("x.pdf", ContentFile(b"%PDF-1.7"), save=False)
    done.expires_at = now + timedelta(hours=1)
    done.save()
    stuck = DocumentJob.objects.create(
        owner=department, kind="summary_pdf", title="汇总表", status="running", started_at=now - timedelta(hours=1)
    )
    fresh = DocumentJob.objects.create(owner=department, kind="summary_pdf", title="汇总表", status="running")
    fresh.started_at = now - timedelta(minutes=5)
    fresh.save()
    assert jobs.clean(now) == (0, 1)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == ("failed", jobs.INTERRUPTED)
    assert DocumentJob.objects.get(pk=fresh.pk).status == "running"
    name = done.file.name
    # A day later: the finished job and its file, and the failed one, are gone; the once fresh job,
    # still running, is now marked interrupted and kept a day for its owner to read why.
    assert jobs.clean(now + jobs.RESULT_LIFETIME + timedelta(minutes=1)) == (2, 1)
    assert not default_storage.exists(name)
    assert list(DocumentJob.objects.values_list("pk", "status")) == [(fresh.pk, "failed")]


def test_a_claimed_job_is_never_claimed_again(department):
    first, second = (
        DocumentJob.objects.create(owner=department, kind="summary_pdf", title=f"汇总表{i}") for i in (1, 2)
    )
    assert jobs.claim("a").pk == first.pk
    assert jobs.claim("b").pk == second.pk
    assert jobs.claim("c") is None
    assert list(DocumentJob.objects.order_by("pk").values_list("status", "worker")) == [
        ("running", "a"),
        ("running", "b"),
    ]


def test_the_management_command_runs_what_is_queued(client, department, call, three, media):
    client.force_login(department)
    ask_for_pdf(client, call)
    call_command("run_document_jobs", "--once", stdout=open("/dev/null", "w"))
    assert DocumentJob.objects.get().status == "done"


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_job_once(reference_rows, monkeypatch):
    """Two worker threads with their own database connections drain one queue: every job runs exactly once.
    On PostgreSQL they pass over each other's locked rows (SKIP LOCKED); SQLite serialises the claims."""

    factories.put_back(reference_rows)
    owner = factories.user(Role.DEPARTMENT)
    queued = [DocumentJob.objects.create(owner=owner, kind="summary_pdf", title=f"汇总表{i}") for i in range(12)]
    runs = []

    def make(job, progress):
        runs.append((job.pk, job.worker))
        time.sleep(0.05)
        return b"%PDF-1.7 test"

    monkeypatch.setitem(jobs.KINDS, "summary_pdf", jobs.Kind("汇总表 PDF", make, "summary", "documents:summary"))

    in_threads(lambda name: jobs.work(once=True, worker=name))
    assert sorted(pk for pk, _ in runs) == sorted(job.pk for job in queued)
    assert set(DocumentJob.objects.values_list("status", flat=True)) == {"done"}
    if connection.features.has_select_for_update_skip_locked:
        assert {name for _, name in runs} == {"w1", "w2"}
    for job in DocumentJob.objects.all():
        job.file.delete(save=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SKIP LOCKED is PostgreSQL's; SQLite has no row locks")
def test_on_postgresql_a_worker_skips_a_row_another_holds_instead_of_waiting(reference_rows):

    factories.put_back(reference_rows)
    owner = factories.user(Role.DEPARTMENT)
    first, second = (DocumentJob.objects.create(owner=owner, kind="summary_pdf", title=f"汇总表{i}") for i in (1, 2))
    locked, release = threading.Event(), threading.Event()

    def hold_first():
        with transaction.atomic():
            DocumentJob.objects.select_for_update().get(pk=first.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_first)
    holder.start()
    locked.wait(10)
    try:
        assert jobs.claim("w").pk == second.pk  # would block on the held row without SKIP LOCKED
    finally:
        release.set()
        holder.join()

"""The official PDF of a submitted version off the request: pending pages, failures and retries, 重新生成 and
who may press it, claims that never give one document to two workers. Nothing here renders a real PDF
(documents/tests/test_official_pdfs.py does, once)."""

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from documents import official
from documents.models import OfficialDocument, OfficialStatus
from documents.tests import official as stand_in
from documents.tests.official import pdf_url, refuse_rendering
from documents.tests.submitted import submitted
from documents.tests.threads import in_threads
from tests import factories

pytestmark = pytest.mark.django_db


# --- Before the worker ran, failures, retries, 重新生成 ---


@pytest.fixture
def app(media, call):
    return factories.submitted_application("150200")


def test_a_pdf_asked_for_before_the_worker_ran_is_a_page_that_refreshes_itself(app, client, bureau, monkeypatch):
    refuse_rendering(monkeypatch)
    client.force_login(bureau)
    response = client.get(pdf_url(app))
    page = response.content.decode()
    assert response.status_code == 202 and response["Content-Type"].startswith("text/html")
    assert "正式文件正在生成" in page and '<meta http-equiv="refresh" content="5">' in page
    assert reverse("applications:overview", args=[app.pk]) in page
    assert not AuditEntry.objects.filter(action="download").exists()  # nothing was handed out
    review = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "申请报告 PDF 正在生成…" in review and pdf_url(app) not in review
    assert not OfficialDocument.objects.exists()  # asking makes nothing: the worker does


def test_the_applicant_sees_generating_in_place_of_the_pdf_links(app, client):
    client.force_login(app.organisation.users.get())
    page = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
    # Twice each: in the 正式申报文件 card at the top and in 提交记录's row of the version.
    assert page.count("PDF 正在生成…") == 4 and pdf_url(app) not in page
    assert reverse("documents:download", args=[app.pk, "report", "docx"]) + "?version=1" in page


def test_without_signing_material_the_document_fails_with_a_clear_message_and_nothing_is_rendered(app, monkeypatch):
    refuse_rendering(monkeypatch)
    before = timezone.now()
    assert official.work_one("w")
    row = OfficialDocument.objects.get(kind="report")
    assert row.status == OfficialStatus.FAILED and row.attempts == 1 and not row.file
    assert row.error.startswith("签名证书未配置") and "SHENBAO_SIGNING_KEY" in row.error
    assert before + timedelta(minutes=1) <= row.next_attempt_at <= timezone.now() + timedelta(minutes=1)


def test_a_failure_is_retried_after_1_5_30_and_30_minutes_then_waits_for_the_department(
    app, signing, monkeypatch, caplog, client, department, bureau
):
    monkeypatch.setattr(official, "official_kinds", lambda schema: ["report"])

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(official, "render", broken)
    row = official.claim("w")
    for attempt, wait in enumerate((1, 5, 30, 30, None), start=1):
        assert (row.kind, row.status, row.attempts) == ("report", OfficialStatus.RUNNING, attempt)
        before = timezone.now()
        row = official.generate(row)
        assert (row.status, row.error) == (OfficialStatus.FAILED, official.RENDER_FAILED)
        if wait is None:
            break
        assert before + timedelta(minutes=wait) <= row.next_attempt_at <= timezone.now() + timedelta(minutes=wait)
        assert official.claim("w", now=row.next_attempt_at - timedelta(seconds=1)) is None  # not yet due
        row = official.claim("w", now=row.next_attempt_at)  # due exactly then
    assert row.attempts == official.MAX_ATTEMPTS and row.next_attempt_at is None and row.gave_up
    assert official.claim("w", now=timezone.now() + timedelta(days=365)) is None
    assert "WeasyPrint crashed" in caplog.text  # the technical detail goes to the log

    client.force_login(bureau)
    response = client.get(pdf_url(app))
    assert response.status_code == 503 and "已告知自治区工业和信息化厅" in response.content.decode()
    assert "http-equiv" not in response.content.decode()  # nothing will change by reloading
    assert "重新生成" not in client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    client.force_login(department)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert official.RENDER_FAILED in page and "已尝试 5 次" in page
    assert reverse("documents:official_regenerate", args=[row.pk]) in page


def test_a_failure_with_a_retry_planned_says_when(app, client, bureau):
    retry = timezone.now() + timedelta(minutes=5)
    stand_in.failed(app.latest_version, attempts=2, retry_at=retry)
    client.force_login(bureau)
    response = client.get(pdf_url(app))
    page = response.content.decode()
    assert response.status_code == 503 and f"系统将于 {timezone.localtime(retry):%H:%M} 自动重试" in page
    assert '<meta http-equiv="refresh" content="30">' in page


def test_the_department_regenerates_a_failed_document_and_the_worker_takes_it_at_once(app, client, department):
    row = stand_in.failed(app.latest_version)
    client.force_login(department)
    url = reverse("documents:official_regenerate", args=[row.pk])
    assert client.get(url).status_code == 405

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("reviews:detail", args=[app.pk]) + "#official"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (OfficialStatus.FAILED, 0, "")
    assert row.next_attempt_at <= timezone.now()
    entry = AuditEntry.objects.get(action="official_regenerate")
    assert entry.user == department and entry.object_id == str(app.pk)
    assert entry.detail == {
        "application": app.pk,
        "number": app.number,
        "version": 1,
        "document": "report",
        "official_document": row.pk,
    }
    taken = official.claim("w")
    assert (taken.pk, taken.status, taken.attempts) == (row.pk, OfficialStatus.RUNNING, 1)
    # Pressed again while it runs: nothing to do, nothing audited.
    client.post(url)
    assert AuditEntry.objects.filter(action="official_regenerate").count() == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lead_bureau", 403),
        ("other_bureau", 404),
        ("own_applicant", 403),
        ("other_applicant", 404),
        ("expert", 404),
        ("system_admin", 404),
        ("security_admin", 404),
        ("audit_admin", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_department_may_regenerate(app, client, who, expected):
    row = stand_in.failed(app.latest_version)
    people = {
        "lead_bureau": lambda: factories.user(Role.BUREAU, region_code="150200"),
        "other_bureau": lambda: factories.user(Role.BUREAU, region_code="150500"),
        "own_applicant": lambda: app.organisation.users.get(),
        "other_applicant": lambda: factories.user(Role.APPLICANT, region_code="150200"),
        "expert": lambda: factories.user(Role.EXPERT, region_code="150100"),
        "system_admin": lambda: factories.user(Role.SYSTEM_ADMIN),
        "security_admin": lambda: factories.user(Role.SECURITY_ADMIN),
        "audit_admin": lambda: factories.user(Role.AUDIT_ADMIN),
    }
    if who in people:
        client.force_login(people[who]())
    response = client.post(reverse("documents:official_regenerate", args=[row.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (5, None)
    assert not AuditEntry.objects.filter(action="official_regenerate").exists()


def test_a_stored_file_gone_from_storage_is_a_503_that_says_so(app, client, bureau, caplog):
    row = stand_in.stored(app.latest_version)
    default_storage.delete(row.file.name)
    client.force_login(bureau)
    response = client.get(pdf_url(app))
    assert response.status_code == 503 and "文件存储出错" in response.content.decode()
    assert row.file.name in caplog.text


def test_a_document_whose_worker_stopped_is_failed_and_retried_after_ten_minutes(app):
    version = app.latest_version
    now = timezone.now()
    lost = OfficialDocument.objects.create(
        version=version, kind="report", attempts=1, worker="gone", started_at=now - timedelta(minutes=10, seconds=1)
    )
    busy = OfficialDocument.objects.create(
        version=version, kind="performance", attempts=1, worker="busy", started_at=now - timedelta(minutes=9)
    )
    assert official.recover_stale(now) == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.error, lost.next_attempt_at) == (
        "failed",
        official.INTERRUPTED,
        now + timedelta(minutes=1),
    )
    assert busy.status == OfficialStatus.RUNNING


# --- Claims: never two workers on one document ---


def test_a_document_is_claimed_once_whichever_worker_asks(call):
    first, second = submitted(call), submitted(call, "150500")
    claims = [official.claim(name) for name in ("a", "b", "c", "d")]
    assert official.claim("e") is None
    made = sorted((row.version.application_id, row.kind) for row in claims)
    assert made == sorted((app.pk, kind) for app in (first, second) for kind in ("report", "performance"))
    # Newest version first, both its documents: a backlog of old ones never keeps a new submission waiting.
    assert [row.version.application_id for row in claims] == [second.pk, second.pk, first.pk, first.pk]
    # A version is queued once: looking again (as a second worker would) adds no row.
    official._queue_new_versions()
    assert OfficialDocument.objects.count() == 4


def test_a_version_is_queued_only_for_the_documents_its_call_prints_and_never_looked_at_again(call, monkeypatch):
    app = submitted(call)
    monkeypatch.setattr(official, "official_kinds", lambda schema: ["report"])  # a call with no 绩效目标表
    first = official.claim("a")
    assert (first.version.application_id, first.kind) == (app.pk, "report")
    assert official.claim("b") is None
    assert list(OfficialDocument.objects.values_list("kind", flat=True)) == ["report"]
    assert list(official.status_for(app.latest_version)) == ["report"]


def test_spent_retries_tell_every_department_official_once(app, department, monkeypatch):
    from notifications.models import Event, Notification

    monkeypatch.setattr(official, "official_kinds", lambda schema: ["report"])
    row = official.claim("w")
    OfficialDocument.objects.filter(pk=row.pk).update(attempts=official.MAX_ATTEMPTS)
    row.refresh_from_db()
    official.generate(row)  # no signing material: fails, and no retry is left
    [note] = Notification.objects.filter(event=Event.OFFICIAL_FAILED)
    assert note.recipient == department and note.url.endswith(f"/reviews/{app.pk}/#official")
    assert app.number in note.title and "签名证书未配置" in note.body


def test_the_department_home_lists_the_documents_that_could_not_be_made(app, client, department, bureau):
    stand_in.failed(app.latest_version, error="签名证书未配置。")
    client.force_login(department)
    page = client.get(reverse("portal:home")).content.decode()
    assert "正式文件生成失败" in page and f"{app.number} 第1版 · 申请报告" in page and "签名证书未配置" in page
    client.force_login(bureau)
    assert "正式文件生成失败" not in client.get(reverse("portal:home")).content.decode()


def test_a_due_retry_is_taken_by_one_worker_only(call):
    row = stand_in.failed(submitted(call).latest_version, attempts=1, retry_at=timezone.now())
    OfficialDocument.objects.create(version=row.version, kind="performance", status="done")
    taken = official.claim("a")
    assert taken.pk == row.pk and taken.worker == "a" and taken.attempts == 2
    assert official.claim("b") is None


@pytest.mark.django_db(transaction=True)
def test_two_worker_threads_make_each_document_exactly_once(reference_rows, monkeypatch):
    """Two workers with their own database connections: every (version, kind) is made once, by one of them."""
    factories.put_back(reference_rows)
    call = factories.open_call()
    apps = [submitted(call, code) for code in ("150200", "150500", "150600")]
    made, lock = [], threading.Lock()

    def generate(document):
        with lock:
            made.append((document.version_id, document.kind, document.worker))
        return document

    monkeypatch.setattr(official, "generate", generate)

    def worker(name):
        while official.work_one(name):
            pass

    in_threads(worker)
    made_once = sorted((v, k) for v, k, _ in made)
    assert made_once == sorted((app.latest_version.pk, kind) for app in apps for kind in ("report", "performance"))
    rows = OfficialDocument.objects.values_list("version_id", "kind", "worker")
    assert sorted(rows) == sorted(made)

"""The official PDFs of submitted versions: made once by the document worker, signed, stored, served as stored.

Submission renders nothing (documents/tests/test_submission_does_not_render.py). The worker
(`documents.jobs.work`) asks `claim()` for the next document to make. A version nobody has looked at yet
gets one queued row per document its schema prints (newest versions first, so this also backfills
versions submitted before the feature); the unique (version, kind) constraint lets one worker's rows win.
A queued row, or a failed one whose retry is due, is then claimed by a conditional UPDATE to running,
which one worker alone can win, on every database. `generate()` renders the PDF from the frozen version,
signs it (documents/signing.py), saves it through `default_storage` and records its SHA-256; a failure is
recorded on the row in Chinese for the 自治区 and retried after 1, 5, 30 and 30 minutes. After
MAX_ATTEMPTS it waits for a 自治区 official to press 重新生成 (`regenerate()`).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.models import Version
from documents import signing
from documents.models import OfficialDocument, OfficialStatus, official_path
from documents.record import record_of
from documents.rendering import TITLES, official_kinds, render
from notifications.models import Event
from notifications.service import notify

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(minutes=30))
# A document takes seconds; one running this long lost its worker and is retried.
STALE_AFTER = timedelta(minutes=10)
SCAN = 50  # versions looked at per query when looking for missing documents
# Shown to the 自治区 beside the attempts and the next retry (or 重新生成 once they are spent).
RENDER_FAILED = "生成 PDF 时出错，详细原因已写入服务器日志；多次失败请联系系统管理员。"
STORE_FAILED = "保存正式文件时出错：文件存储不可用；多次失败请检查文件存储。"
INTERRUPTED = "生成中断：处理进程在生成过程中停止。"


@dataclass(frozen=True)
class Official:
    """What a page shows of one official document of a version: a download link, or why not yet."""

    kind: str
    document: OfficialDocument | None

    @property
    def title(self):
        return TITLES[self.kind]

    @property
    def ready(self):
        return self.document is not None and self.document.is_done

    @property
    def failed(self):
        return self.document is not None and self.document.status == OfficialStatus.FAILED

    @property
    def label(self):
        """The words in place of the link until the file exists."""
        return "生成失败，已告知自治区" if self.document is not None and self.document.gave_up else "正在生成…"


def kinds_of(version):
    """The official documents `version` has: those the schema revision it pinned prints."""
    return official_kinds(version.schema)


def prefetch(versions):
    """Load the official documents of a list of versions in one query (before status_for on each)."""
    prefetch_related_objects(list(versions), "official_documents")


def status_for(version):
    """{kind: Official} for each document `version` has, in the order the call prints them; one query,
    remembered on the version."""
    cached = getattr(version, "_official_status", None)
    if cached is None:
        rows = {row.kind: row for row in version.official_documents.all()}
        cached = {kind: Official(kind, rows.get(kind)) for kind in kinds_of(version)}
        version._official_status = cached
    return cached


# --- Claiming ---


def claim(worker, now=None):
    """The next document to make, now running for `worker`; None when every version has its documents."""
    now = now or timezone.now()
    _queue_new_versions()
    return _claim(worker, now)


def _queue_new_versions():
    """Queued rows for the newest versions that have none yet, each for every document its schema prints."""
    fresh = Version.objects.filter(~Exists(OfficialDocument.objects.filter(version=OuterRef("pk"))))
    for version in fresh.select_related("application__call").order_by("-pk")[:SCAN]:
        try:
            kinds = kinds_of(version)
        except Exception:
            # Queue the report anyway: rendering then fails the same way, and the failure is recorded where
            # the 自治区 sees it instead of the version being skipped in silence.
            logger.exception("official documents: cannot read the schema of version %s", version.pk)
            kinds = ["report"]
        try:
            with transaction.atomic():
                OfficialDocument.objects.bulk_create(
                    OfficialDocument(version=version, kind=kind, status=OfficialStatus.QUEUED) for kind in kinds
                )
        except IntegrityError:
            continue  # another worker queued this version's documents first


def _claim(worker, now):
    """A queued document (newest version first, its documents in print order), else a failed one now due."""
    queued = Q(status=OfficialStatus.QUEUED)
    due = Q(status=OfficialStatus.FAILED, next_attempt_at__lte=now)
    for condition, order in ((queued, ("-version_id", "pk")), (due, ("next_attempt_at", "pk"))):
        for pk in OfficialDocument.objects.filter(condition).order_by(*order).values_list("pk", flat=True)[:SCAN]:
            taken = OfficialDocument.objects.filter(condition, pk=pk).update(
                status=OfficialStatus.RUNNING,
                attempts=F("attempts") + 1,
                worker=worker[:100],
                started_at=now,
                next_attempt_at=None,
            )
            if taken:
                return OfficialDocument.objects.get(pk=pk)
    return None


# --- Making one ---


def _mine(document):
    """The row while this claim still holds it (not taken back as stale and claimed again meanwhile)."""
    return OfficialDocument.objects.filter(
        pk=document.pk, status=OfficialStatus.RUNNING, worker=document.worker, started_at=document.started_at
    )


def retry_at(attempts, now):
    """When a document that failed its `attempts`-th time is tried again; None once MAX_ATTEMPTS are spent."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_AFTER[min(max(attempts, 1), len(RETRY_AFTER)) - 1]


def _fail(document, message):
    later = retry_at(document.attempts, timezone.now())
    failed = _mine(document).update(status=OfficialStatus.FAILED, error=message[:300], next_attempt_at=later)
    document.refresh_from_db()
    if failed and later is None:
        _tell_department(document)
    return document


def _tell_department(document):
    """The retries are spent: the 自治区's officials are told, once per spent round, where to press 重新生成."""
    version = Version.objects.select_related("application").get(pk=document.version_id)
    app = version.application
    notify(
        User.objects.filter(role=Role.DEPARTMENT, is_active=True),
        Event.OFFICIAL_FAILED,
        f"{app.number} 第{version.number}版{TITLES[document.kind]}正式文件生成失败",
        f"已重试 {document.attempts} 次仍未成功：{document.error}请查看原因并重新生成。",
        reverse("reviews:detail", args=[app.pk]) + "#official",
        application=app,
        dedupe_key=f"official-failed:{document.pk}:{document.started_at:%Y%m%d%H%M%S%f}",
    )


def generate(document):
    """Render, sign and store a claimed document; a failure is recorded on it (in Chinese) and logged."""
    version = Version.objects.select_related("application__call").get(pk=document.version_id)
    where = f"{version.application.number} 第{version.number}版 {document.kind} (attempt {document.attempts})"
    try:
        material = signing.load()  # first: without a certificate nothing is rendered in vain
        rendered = render(record_of(version.application, version.number), document.kind, "pdf")
        signed = signing.sign_pdf(rendered.content, material)
    except signing.SigningUnavailable as exc:
        logger.error("official document %s not signed: %s", where, exc)
        return _fail(document, str(exc))
    except Exception:
        logger.exception("official document %s failed to render or sign", where)
        return _fail(document, RENDER_FAILED)
    try:
        name = default_storage.save(official_path(document, ""), ContentFile(signed.content))
    except Exception:
        logger.exception("official document %s could not be stored", where)
        return _fail(document, STORE_FAILED)
    finished = _mine(document).update(
        status=OfficialStatus.DONE,
        file=name,
        filename=rendered.filename[:200],
        sha256=hashlib.sha256(signed.content).hexdigest(),
        size=len(signed.content),
        generated_at=timezone.now(),
        error="",
        next_attempt_at=None,
        certificate_subject=signed.subject[:300],
        certificate_sha256=signed.fingerprint,
    )
    if not finished:  # this claim was taken back as stale; the attempt that holds it now makes the file
        default_storage.delete(name)
    document.refresh_from_db()
    return document


def work_one(worker):
    """Claim and make one document; False when there was none to make."""
    document = claim(worker)
    if document is None:
        return False
    document = generate(document)
    if document.is_done:
        logger.info("official document %s (version %s, %s) stored", document.pk, document.version_id, document.kind)
    return True


def recover_stale(now=None):
    """Running documents whose worker stopped mid-way are failed and retried like any failure."""
    now = now or timezone.now()
    recovered = 0
    for document in OfficialDocument.objects.filter(status=OfficialStatus.RUNNING, started_at__lt=now - STALE_AFTER):
        recovered += _mine(document).update(
            status=OfficialStatus.FAILED, error=INTERRUPTED, next_attempt_at=retry_at(document.attempts, now)
        )
    return recovered


def regenerate(document, now=None):
    """重新生成: a failed document goes back to the worker at once, its attempts counted afresh."""
    return bool(
        OfficialDocument.objects.filter(pk=document.pk, status=OfficialStatus.FAILED).update(
            attempts=0, error="", next_attempt_at=now or timezone.now()
        )
    )

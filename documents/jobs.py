"""Document jobs: exports too slow for a request (the 汇总表 PDF) are queued, made by a worker, downloaded later.

A request only records the job (`enqueue`) and answers at once; `manage.py run_document_jobs` (`work`)
claims queued jobs one at a time, reports progress, and saves the file in the default storage
(local disk or S3 alike: only `storage.save`/`open`, never a path). Several workers on several servers
may run: on PostgreSQL a job is picked with SELECT … FOR UPDATE SKIP LOCKED, and on every database
it is claimed by a conditional UPDATE (queued → running) that only one worker can win.

The same worker makes the official, signed PDF of every submitted version (documents/official.py),
taking turns with the jobs so that neither holds the other up.

Why not a task library: django-tasks (with django-tasks-db) would run the function, but it keeps no
owner, progress, result file or expiry — the parts the user sees — so this model would be needed
beside it anyway; what it would replace is the claim-and-loop below. django-q2/django-rq add a
broker or Redis to a deployment that needs neither.
"""

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone

from accounts import scoping
from applications.models import Application
from documents import official
from documents.models import DocumentJob, JobStatus

logger = logging.getLogger(__name__)

RESULT_LIFETIME = timedelta(hours=24)  # a finished job and its file are kept this long
STALE_AFTER = timedelta(minutes=30)  # a job running longer than this lost its worker
CLEAN_EVERY = 60  # seconds between two clean-ups in a worker
# WeasyPrint lays a PDF out whole: ~0.04 s and ~0.7 MiB a row (docs/performance.md), so one file is
# capped to keep a worker under ~1 GiB; Excel streams any number of rows.
SUMMARY_PDF_MAX_ROWS = 1000
FAILED_UNEXPECTEDLY = "生成失败：系统处理时出错，请稍后重新导出；如仍失败，请联系系统管理员。"
INTERRUPTED = "生成中断：处理进程已停止，请重新导出。"


class JobError(Exception):
    """A failure the owner can act on; its message (in Chinese) is shown as the job's error."""


@dataclass(frozen=True)
class Kind:
    label: str
    make: object  # (job, progress) -> bytes; progress(done, step)
    object_type: str  # what the audit entry of a download names
    back: str  # the page the job was asked from


# --- The kinds of job ---


def summary_pdf_too_large(count):
    """The message refusing a 汇总表 PDF of `count` rows, or "" when it may be made."""
    if count <= SUMMARY_PDF_MAX_ROWS:
        return ""
    limit = f"PDF 汇总表一次最多 {SUMMARY_PDF_MAX_ROWS} 份申报（当前 {count} 份）"
    return f"{limit}，请缩小筛选范围，或导出 Excel（不限份数）。"


def _summary_pdf(job, progress):
    from documents.filters import SummaryFilterForm
    from documents.summary import summary_pdf

    owner = job.owner
    if not scoping.may_export_summary(owner):
        raise JobError("您已无权导出汇总表。")
    form = SummaryFilterForm(job.parameters, owner)
    if not form.is_valid():
        raise JobError("筛选条件已失效（例如申报批次已不再公开），请回到汇总表重新选择后导出。")
    applications = form.filter(scoping.summarised_for(owner, Application.objects))
    total = applications.count()
    if refusal := summary_pdf_too_large(total):
        raise JobError(refusal)
    DocumentJob.objects.filter(pk=job.pk).update(total=total)
    return summary_pdf(applications, form.cleaned_data["call"].schema, job.title, form.description(), progress=progress)


KINDS = {"summary_pdf": Kind("汇总表 PDF", _summary_pdf, "summary", "documents:summary")}


# --- Queueing, claiming, running ---


def enqueue(owner, kind, parameters, title, filename):
    """A queued job, or the same owner's job for the same document still waiting (a double click)."""
    if kind not in KINDS:
        raise ValueError(kind)
    pending = DocumentJob.objects.filter(owner=owner, kind=kind, status__in=JobStatus.pending())
    for job in pending:
        if job.parameters == parameters:
            return job
    return DocumentJob.objects.create(owner=owner, kind=kind, parameters=parameters, title=title, filename=filename)


def claim(worker):
    """The oldest queued job, now running for `worker`; None when there is none left to take."""
    while True:
        with transaction.atomic():
            # SKIP LOCKED lets PostgreSQL workers pass over each other's rows; SQLite ignores it and
            # serialises writers instead. The conditional UPDATE is what makes a claim exclusive.
            job = (
                DocumentJob.objects.select_for_update(skip_locked=True)
                .filter(status=JobStatus.QUEUED)
                .order_by("created_at", "pk")
                .first()
            )
            if job is None:
                return None
            claimed = DocumentJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.RUNNING, started_at=timezone.now(), worker=worker[:100], step="准备中"
            )
        if claimed:
            job.refresh_from_db()
            return job


def _progress(job):
    def report(done, step):
        DocumentJob.objects.filter(pk=job.pk).update(done=done, step=step)

    return report


def _fail(job, message):
    now = timezone.now()
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message[:300], step="", finished_at=now, expires_at=now + RESULT_LIFETIME
    )


def run(job):
    """Make a claimed job's file and save it; a failure is recorded on the job with a Chinese message."""
    try:
        content = KINDS[job.kind].make(job, _progress(job))
    except JobError as exc:
        _fail(job, str(exc))
        return
    except Exception:
        logger.exception("document job %s (%s) failed", job.pk, job.kind)
        _fail(job, FAILED_UNEXPECTEDLY)
        return
    job.refresh_from_db(fields=["total"])
    job.file.save(f"{job.pk}.pdf", ContentFile(content), save=False)
    now = timezone.now()
    finished = DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        file=job.file.name,
        done=job.total,
        step="",
        finished_at=now,
        expires_at=now + RESULT_LIFETIME,
    )
    if not finished:  # cleaned up (or its owner removed) while it ran: nobody can fetch the file
        job.file.delete(save=False)


def clean(now=None):
    """Delete expired jobs with their files, and fail jobs whose worker stopped mid-way."""
    now = now or timezone.now()
    stale = DocumentJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    interrupted = stale.update(
        status=JobStatus.FAILED, error=INTERRUPTED, step="", finished_at=now, expires_at=now + RESULT_LIFETIME
    )
    expired = 0
    for job in DocumentJob.objects.filter(expires_at__lt=now).exclude(status=JobStatus.RUNNING):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        expired += 1
    return expired, interrupted


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def work(stop=None, poll=1.0, once=False, worker=None):
    """Run jobs, and make the official PDFs of submitted versions (documents/official.py), until `stop` is
    set (or, with `once`, until nothing is left to do); returns how many jobs ran."""
    stop = stop or threading.Event()
    worker = worker or worker_name()
    ran, cleaned_at = 0, 0.0
    while not stop.is_set():
        if not transaction.get_connection().in_atomic_block:  # (a test's transaction wraps the worker)
            close_old_connections()  # a long-lived worker honours CONN_MAX_AGE and drops broken connections
        try:
            if time.monotonic() - cleaned_at > CLEAN_EVERY:
                clean()
                official.recover_stale()
                cleaned_at = time.monotonic()
            # One of each in turn: a backlog of official PDFs never holds an export up, nor the reverse.
            job = claim(worker)
            if job is not None:
                run(job)
                ran += 1
            made = official.work_one(worker)
            if job is not None or made:
                continue
        except DatabaseError:
            logger.exception("document worker %s: database error; retrying", worker)
        if once:
            break
        stop.wait(poll)
    return ran

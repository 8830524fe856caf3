"""A document job's page (status and progress, refreshed until done) and its owner's download."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import scoping
from audit import log as audit_log
from documents.jobs import KINDS
from documents.models import DocumentJob, JobStatus
from documents.views.summaries import audited_filters

REFRESH_SECONDS = 2
LONG_WAIT = timedelta(minutes=2)  # queued longer than this: say whom to tell (is a worker running?)


def _job_for(request, pk):
    return scoping.get_visible_or_404(scoping.document_jobs_for(request.user, DocumentJob.objects), pk=pk)


@login_required
def job(request, pk):
    job = _job_for(request, pk)
    context = {
        "job": job,
        "kind": KINDS[job.kind],
        "query": urlencode(job.parameters),
        "refresh": REFRESH_SECONDS if job.pending else None,
        "waiting_long": job.status == JobStatus.QUEUED and timezone.now() - job.created_at > LONG_WAIT,
    }
    return render(request, "documents/job.html", context)


@login_required
def job_download(request, pk):
    job = _job_for(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成或已过期")
    try:
        content = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已过期，请重新导出") from exc
    audit_log.record(
        "export",
        request=request,
        object_type=KINDS[job.kind].object_type,
        object_repr=job.title,
        detail={"format": "pdf", **audited_filters(job.parameters), "job": job.pk},
    )
    response = FileResponse(content, as_attachment=True, filename=job.filename, content_type="application/pdf")
    response["Cache-Control"] = "no-store"
    return response

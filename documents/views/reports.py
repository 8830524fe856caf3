"""Downloading an application's 申请报告 and 绩效目标表, and the public page a QR code opens."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from accounts import scoping
from applications import reads
from applications.models import Version
from applications.views import application_for
from documents import official
from documents.record import format_code, normalise_code
from documents.rendering import BUILDERS
from documents.rendering import render as render_document
from documents.views import record_for

logger = logging.getLogger(__name__)
# The page shown until a submitted version's official PDF exists reloads itself this often (seconds);
# after a failure, until the worker's retry (documents.official.RETRY_AFTER, a minute at least).
PENDING_REFRESH = 5
RETRY_REFRESH = 30


@login_required
def download(request, pk, document, fmt):
    """The draft for its applicant, a submitted version for reviewers (documents.views.record_for)."""
    application = application_for(request.user, pk)
    if document not in BUILDERS or fmt not in ("pdf", "docx"):
        raise Http404("没有这种文档")
    record = record_for(request, application)
    if document not in record.schema.documents:
        raise Http404("本批次没有这种文档")
    if fmt == "pdf" and record.version is not None:
        return official_pdf(request, application, record, document)
    rendered = render_document(record, document, fmt)
    reads.record_download(request, application, document=document, format=fmt, version=record.version_label)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    response["Cache-Control"] = "no-store"  # application content stays out of shared caches
    return response


def official_pdf(request, application, record, document):
    """A submitted version's PDF is the one made once and signed (documents/official.py), streamed from
    storage as stored; until it exists, a page that says so and reloads itself."""
    status = official.status_for(record.version)[document]
    stored_file_missing = False
    if status.ready:
        try:
            handle = status.document.file.open("rb")
        except FileNotFoundError:
            logger.error("official document %s: stored file %s is missing", status.document.pk, status.document.file)
            stored_file_missing = True
        else:
            reads.record_download(request, application, document=document, format="pdf", version=record.version_label)
            response = FileResponse(
                handle, as_attachment=True, filename=status.document.filename, content_type="application/pdf"
            )
            response["Cache-Control"] = "no-store"  # application content stays out of shared caches
            return response
    retry_at = status.document.next_attempt_at if status.failed else None
    failed = status.failed or stored_file_missing
    if not failed:
        refresh = PENDING_REFRESH
    else:
        refresh = RETRY_REFRESH if retry_at else None  # given up, or the file lost: reloading will not help
    context = {
        "application": application,
        "version": record.version,
        "status": status,
        "stored_file_missing": stored_file_missing,
        "retry_at": retry_at,
        "refresh": refresh,
    }
    return render(request, "documents/official_pending.html", context, status=503 if failed else 202)


def verify(request, code):
    """Anyone may ask whether a printed code is real; only those allowed see whose content it is."""
    prefix = normalise_code(code)
    matches = []
    if prefix:
        matches = list(Version.objects.filter(content_hash__startswith=prefix).select_related("application")[:2])
    version = matches[0] if len(matches) == 1 else None
    context = {"code": format_code(prefix) if prefix else code[:40], "version": version}
    if version:
        application = version.application
        latest = application.latest_version
        context.update(
            application=application,
            is_latest=latest.number == version.number,
            latest_number=latest.number,
            may_view=request.user.is_authenticated and scoping.may_view_application(request.user, application),
            # Hashes of the stored official PDFs reveal nothing of their content: anyone holding one checks it.
            official=official.status_for(version),
            stored=[item for item in official.status_for(version).values() if item.ready],
        )
    return render(request, "documents/verify.html", context, status=200 if version else 404)


def verify_form(request):
    """The typed-in form of the QR link: /verify/?code=… goes to /verify/<code>/."""
    code = "".join(ch for ch in request.GET.get("code", "") if ch.isalnum())[:40]
    return redirect("verify", code=code) if code else render(request, "documents/verify.html", {"ask": True})

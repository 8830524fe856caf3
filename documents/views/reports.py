"""Downloading an application's 申请报告 and 绩效目标表, and the public page a QR code opens."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from accounts import scoping
from applications.models import Version
from applications.views import application_for
from audit import log as audit_log
from documents.record import format_code, normalise_code
from documents.rendering import BUILDERS
from documents.rendering import render as render_document
from documents.views import record_for


@login_required
def download(request, pk, document, fmt):
    """The draft for its applicant, a submitted version for reviewers (documents.views.record_for)."""
    application = application_for(request.user, pk)
    if document not in BUILDERS or fmt not in ("pdf", "docx"):
        raise Http404("没有这种文档")
    record = record_for(request, application)
    rendered = render_document(record, document, fmt)
    audit_log.record_download(request, application, document=document, format=fmt, version=record.version_label)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    response["Cache-Control"] = "no-store"  # application content stays out of shared caches
    return response


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
        )
    return render(request, "documents/verify.html", context, status=200 if version else 404)


def verify_form(request):
    """The typed-in form of the QR link: /verify/?code=… goes to /verify/<code>/."""
    code = "".join(ch for ch in request.GET.get("code", "") if ch.isalnum())[:40]
    return redirect("verify", code=code) if code else render(request, "documents/verify.html", {"ask": True})

"""The evidence-file pages: list, upload, replace, remove and download, all working without JavaScript."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import scoping
from applications import attachments, reads
from applications.models import Attachment
from applications.records import active_attachments, report_of
from applications.views import application_for
from applications.views.editor import editor_context, reviewer_redirect
from audit import refusals
from calls.schema.model import ATTACHMENTS_SECTION

logger = logging.getLogger(__name__)

SLOT_TEMPLATE = "applications/includes/attachment_slot.html"


@login_required
def page(request, pk):
    application = application_for(request.user, pk)
    if elsewhere := reviewer_redirect(request.user, application):
        return elsewhere
    context = editor_context(request, application, report_of(application), ATTACHMENTS_SECTION)
    context.update(slots=attachments.slot_listing(application), max_upload_mb=attachments.max_upload_mb())
    return render(request, "applications/attachments.html", context)


@require_POST
@login_required
def upload(request, pk, slot):
    application = _editable_application(request, pk)
    if application.schema.slot(slot) is None:
        raise Http404("没有这个附件类别。")
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return _respond(request, application, slot, error="请先选择要上传的文件。")
    try:
        attachment = attachments.add_attachment(application, slot, uploaded, request.user)
    except attachments.AttachmentRejected as rejected:
        _record_refusal(request, application, slot, uploaded)
        return _respond(request, application, slot, error=rejected.message)
    return _respond(request, application, slot, success=f"已上传“{attachment.original_name}”。")


@require_POST
@login_required
def replace(request, pk, attachment_id):
    application = _editable_application(request, pk)
    attachment = _active_attachment(application, attachment_id)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return _respond(request, application, attachment.slot, error="请先选择用于替换的文件。")
    try:
        replacement = attachments.replace_attachment(attachment, uploaded, request.user)
    except attachments.AttachmentRejected as rejected:
        _record_refusal(request, application, attachment.slot, uploaded)
        return _respond(request, application, attachment.slot, error=rejected.message)
    message = f"已将“{attachment.original_name}”替换为“{replacement.original_name}”。"
    return _respond(request, application, attachment.slot, success=message)


@require_POST
@login_required
def remove(request, pk, attachment_id):
    application = _editable_application(request, pk)
    attachment = _active_attachment(application, attachment_id)
    try:
        attachments.remove_attachment(attachment, request.user)
    except attachments.AttachmentRejected as rejected:
        _record_refusal(request, application, attachment.slot)
        return _respond(request, application, attachment.slot, error=rejected.message)
    return _respond(request, application, attachment.slot, success=f"已删除“{attachment.original_name}”。")


@login_required
def download(request, attachment_id):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=attachment_id)
    if not scoping.may_download_attachment(request.user, attachment):
        raise scoping.out_of_scope(attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("attachment %s: stored file %s is missing", attachment.pk, attachment.file.name)
        raise Http404("附件文件不存在。") from None
    reads.record_download(request, attachment.application, attachment, document="attachment", slot=attachment.slot)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachments.FILE_TYPES[attachment.file_type].content_type,
    )
    # The type is the one recognised from the content at upload; the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _editable_application(request, pk):
    application = application_for(request.user, pk)
    if not scoping.may_edit_application(request.user, application):
        if not application.is_editable:
            raise PermissionDenied(f"申报书当前状态为“{application.get_status_display()}”，附件不能再修改。")
        raise PermissionDenied("您无权修改这份申报书的附件。")
    return application


def _record_refusal(request, application, slot_key, uploaded=None):
    """A refused upload, replacement or removal in the audit log: the slot and, for a file, its size and what
    its content is — never its name, which the message shown to the applicant quotes."""
    detail = {"slot": slot_key}
    if uploaded is not None:
        detail.update(size=uploaded.size, content=attachments.describe_content(uploaded) or "未能识别")
    refusals.refused(request, refusals.UPLOAD, obj=application, detail=detail)


def _active_attachment(application, attachment_id):
    return get_object_or_404(active_attachments(application), pk=attachment_id)


def _respond(request, application, slot_key, *, success="", error=""):
    """htmx gets the slot re-rendered with the message in it; a plain form post is redirected back."""
    if request.headers.get("HX-Request"):
        slot = application.schema.slot(slot_key)
        context = {
            "item": attachments.slot_item(application, slot),
            "application": application,
            "editable": scoping.may_edit_application(request.user, application),
            "next": _safe_next(request),
            "slot_notice": success,
            "slot_error": error,
        }
        return render(request, SLOT_TEMPLATE, context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    target = _safe_next(request) or reverse("applications:attachments", args=[application.pk])
    return redirect(target if "#" in target else f"{target}#slot-{slot_key}")


def _safe_next(request):
    """The page the form was on, if it is a path on this site; never an address elsewhere."""
    target = request.POST.get("next", "")
    same_site = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if same_site and target.startswith("/") and not target.startswith("//") else ""

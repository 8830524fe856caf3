"""The 自治区工信厅's pages after the decision: 异议 answers, 不予支持 on an objection found 成立, and the
documents of 公示 and 立项 (评审结果汇总表, 公示 text, 立项清单, 立项通知 — the last also its applicant's)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from applications import reads
from applications.attachments import FILE_TYPES
from applications.models import Application
from applications.workflow import WorkflowRefused
from audit import log as audit_log
from audit import refusals
from calls.models import Call
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.rendering import CONTENT_TYPES
from reviews import decisions, objections, publicity
from reviews.establishment import establishment_document, establishment_title, establishment_xlsx, notice_document
from reviews.models import Objection
from reviews.objection_forms import AnswerForm, RevokeForm
from reviews.results import build_results, results_document, results_title, results_xlsx
from reviews.views import application_for
from reviews.views.region import render_decided


def _department_only(user):
    if not scoping.may_decide(user):
        raise PermissionDenied("只有自治区工业和信息化厅可以办理此事项。")


def _file(content, filename, fmt):
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    return FileResponse(content, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


def _document(doc, fmt):
    return document_docx(doc) if fmt == "docx" else document_pdf(doc)


def _call_export(request, code, fmt, formats):
    _department_only(request.user)
    if fmt not in formats:
        raise Http404("不支持的格式")
    call = get_object_or_404(Call, code=code)
    return call


def _audit_export(request, object_type, filename, fmt):
    audit_log.record("export", request=request, object_type=object_type, object_repr=filename, detail={"format": fmt})


# --- lists per call ---


@login_required
def results(request, code, fmt):
    """评审结果汇总表 (XLSX, PDF, DOCX): the list taken to the 党组会."""
    call = _call_export(request, code, fmt, ("xlsx", "pdf", "docx"))
    data = build_results(call)
    filename = f"{results_title(call)}-{timezone.localdate():%Y%m%d}.{fmt}"
    _audit_export(request, "review_results", filename, fmt)
    content = results_xlsx(data) if fmt == "xlsx" else _document(results_document(data), fmt)
    return _file(content, filename, fmt)


@login_required
def publicity_text(request, code, fmt):
    """The 公示 text of a call's applications in 公示 (DOCX for the department's website, or PDF)."""
    call = _call_export(request, code, fmt, ("docx", "pdf"))
    in_publicity = call.applications.publicised().select_related("call", "organisation", "lead_region", "decision")
    groups = publicity.by_call(in_publicity)
    entry = groups[0] if groups else publicity.CallPublicity(call, ())
    filename = f"{entry.title}.{fmt}"
    _audit_export(request, "publicity_text", filename, fmt)
    return _file(_document(publicity.publicity_document(entry), fmt), filename, fmt)


@login_required
def establishment_list(request, code, fmt):
    """立项清单 (XLSX, PDF): every 已立项 application of the call with its funds."""
    call = _call_export(request, code, fmt, ("xlsx", "pdf"))
    filename = f"{establishment_title(call)}-{timezone.localdate():%Y%m%d}.{fmt}"
    _audit_export(request, "establishment_list", filename, fmt)
    content = establishment_xlsx(call) if fmt == "xlsx" else document_pdf(establishment_document(call))
    return _file(content, filename, fmt)


# --- one application ---


@login_required
def notice(request, pk, fmt):
    """立项通知 (DOCX, PDF): the 自治区 and the applicant it is addressed to, once 已立项."""
    if fmt not in ("docx", "pdf"):
        raise Http404("不支持的格式")
    app = scoping.get_visible_or_404(Application.objects.visible_to(request.user), pk=pk)
    if not app.is_approved:
        raise Http404("该申报尚未立项，没有立项通知。")
    if not scoping.may_read_establishment_notice(request.user, app):
        raise PermissionDenied("立项通知只发给自治区工业和信息化厅和申报单位。")
    reads.record_download(request, app, document="establishment_notice", format=fmt)
    return _file(_document(notice_document(app), fmt), f"立项通知-{app.number}.{fmt}", fmt)


def _objection(request, pk, objection_pk):
    _department_only(request.user)
    app = application_for(request.user, pk)
    visible = scoping.objections_for(request.user, Objection.objects)
    return app, scoping.get_visible_or_404(visible, pk=objection_pk, application=app)


@login_required
@require_POST
def answer_objection(request, pk, objection_pk):
    app, objection = _objection(request, pk, objection_pk)
    form = AnswerForm(request.POST, prefix=f"answer-{objection.pk}")
    if form.is_valid():
        try:
            objections.answer(objection, request.user, form.cleaned_data["result"], form.cleaned_data["response"])
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "answer_objection"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已答复异议 #{objection.pk}。")
            return redirect("reviews:decide", app.pk)
    return render_decided(request, app, answer_forms={objection.pk: form}, status=400)


@login_required
@require_POST
def revoke(request, pk):
    """异议成立，不予支持: 公示中 → 未通过."""
    _department_only(request.user)
    app = application_for(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            decisions.revoke(app, request.user, form.cleaned_data["reason"])
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "revoke"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "异议经核实成立，已作出不予支持决定，申报单位和牵头盟市将收到通知。")
            return redirect("reviews:detail", app.pk)
    return render_decided(request, app, revoke_form=form, status=400)


@login_required
def objection_file(request, pk, objection_pk):
    app, objection = _objection(request, pk, objection_pk)
    if not objection.has_file:
        raise Http404("该异议没有附件")
    reads.record_download(request, app, obj=objection, document="objection_file")
    return FileResponse(
        objection.file.open("rb"),
        as_attachment=True,
        filename=objection.original_name,
        content_type=FILE_TYPES[objection.file_type].content_type,
    )

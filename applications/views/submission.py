"""The pre-submit check, submitting, withdrawing, and the printable receipt (回执)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import scoping
from applications import reads
from applications import submission as service
from applications.answers import answer_summary
from applications.records import report_of
from applications.views import application_for
from applications.views.editor import editor_context, reviewer_redirect
from audit import refusals
from shenbao.lib.forms import ShenbaoForm


class RevisionNoteForm(ShenbaoForm):
    """修改说明: asked when an application returned for revision is submitted again (applications/submission.py)."""

    revision_note = forms.CharField(
        label="修改说明",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"逐条说明按退回意见修改了哪些内容，不超过 {service.NOTE_MAX_CHARS} 字（空格不计）。"
        "审核人员将在修改对比页面看到这段说明。",
        error_messages={"required": "重新提交须填写修改说明：逐条说明按退回意见修改了哪些内容。"},
    )

    def clean_revision_note(self):
        problem = service.revision_note_problem(self.cleaned_data["revision_note"])
        if problem:
            raise forms.ValidationError(problem)
        return self.cleaned_data["revision_note"]


@login_required
def check(request, pk):
    application = application_for(request.user, pk)
    if elsewhere := reviewer_redirect(request.user, application):
        return elsewhere
    return check_page(request, application)


def check_page(request, application, *, status=200, note_form=None):
    """The pre-submit check; when answering a return, with the 修改说明 to fill (bound after a refused post)."""
    report = report_of(application)
    context = editor_context(request, application, report, "check")
    context["check"] = check = service.pre_submit_check(application, report)
    if check.can_submit and application.is_editable:
        context["answers"] = answer_summary(application)  # 核对填报内容, read once before 确认提交
    if application.is_returned:
        context["note_form"] = note_form or RevisionNoteForm()
        context["return_reason"] = service.last_return(application)
    return render(request, "applications/check.html", context, status=status)


@login_required
@require_POST
def submit(request, pk):
    application = application_for(request.user, pk)
    if not scoping.may_edit_application(request.user, application):
        raise PermissionDenied("申报书当前不能提交。")
    note_form, note = None, ""
    if application.is_returned:
        # 重新提交: the 修改说明 is checked here, next to its field, and again by the service.
        note_form = RevisionNoteForm(request.POST)
        if not note_form.is_valid():
            return check_page(request, application, status=400, note_form=note_form)
        note = note_form.cleaned_data["revision_note"]
    try:
        version = service.submit(application, request.user, revision_note=note)
    except service.SubmissionRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "submit"})
        if note_form is not None:  # the 修改说明 typed is kept, with the reason beside it
            note_form.add_error(None, str(exc))
            return check_page(request, application, status=400, note_form=note_form)
        messages.error(request, str(exc))
        return redirect("applications:check", pk=pk)
    messages.success(request, "申报书已提交，等待盟市工业和信息化局初审。")
    return redirect("applications:receipt", pk=pk, number=version.number)


@login_required
@require_POST
def withdraw(request, pk):
    application = application_for(request.user, pk)
    if not scoping.may_withdraw_application(request.user, application):
        raise PermissionDenied("盟市已开始处理或已不在待初审状态，不能撤回。")
    try:
        service.withdraw(application, request.user)
    except service.SubmissionRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "withdraw"})
        messages.error(request, str(exc))
        return redirect("applications:overview", pk=pk)
    messages.success(request, "申报书已撤回为草稿，填写的内容和附件都已保留。修改后请重新提交。")
    return redirect("applications:overview", pk=pk)


@login_required
def receipt(request, pk, number):
    application = application_for(request.user, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404("没有这个版本")
    reads.record_view(request, application, page="receipt", version=version.number)
    return render(
        request,
        "applications/receipt.html",
        {"application": application, "version": version, "schema": version.schema},
    )

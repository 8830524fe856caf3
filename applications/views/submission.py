"""The pre-submit check, submitting, withdrawing, and the printable receipt (回执)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import scoping
from applications import reads
from applications import submission as service
from applications.records import report_of
from applications.views import application_for
from applications.views.editor import editor_context, reviewer_redirect
from audit import refusals


@login_required
def check(request, pk):
    application = application_for(request.user, pk)
    if elsewhere := reviewer_redirect(request.user, application):
        return elsewhere
    report = report_of(application)
    context = editor_context(request, application, report, "check")
    context["check"] = service.pre_submit_check(application, report)
    return render(request, "applications/check.html", context)


@login_required
@require_POST
def submit(request, pk):
    application = application_for(request.user, pk)
    if not scoping.may_edit_application(request.user, application):
        raise PermissionDenied("申报书当前不能提交。")
    try:
        version = service.submit(application, request.user)
    except service.SubmissionRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "submit"})
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

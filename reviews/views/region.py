"""The 自治区工信厅's pages: 受理 and experts, scoring and the 专家评分表, the decision, 立项, the timetable."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from applications import reads, workflow
from applications.models import Status
from applications.workflow import ActionCode, WorkflowRefused
from audit import refusals
from calls import deadlines
from calls.models import Call
from reviews import decisions, experts, invitations
from reviews.models import Decision, ExpertReview
from reviews.objection_forms import AnswerForm, RevokeForm
from reviews.region_forms import AssignForm, DecisionForm, ExtensionForm, StageDeadlineForm
from reviews.schedule import remaining, set_stage_deadlines, timetable
from reviews.scoresheet import build, scoresheet_pdf, scoresheet_xlsx
from reviews.views import application_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {"xlsx": (scoresheet_xlsx, XLSX), "pdf": (scoresheet_pdf, "application/pdf")}


def _department_only(user):
    if not scoping.may_manage_experts(user):
        raise PermissionDenied("只有自治区工业和信息化厅可以办理此事项。")


def _application(request, pk):
    _department_only(request.user)
    return application_for(request.user, pk)


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- 受理 and experts ---


def _assign_refusal(user, app):
    """Why experts cannot be assigned now, or None: 受理 from 待自治区受理, or more experts during scoring."""
    if app.status == Status.UNDER_REVIEW:
        return None
    return workflow.refusal(user, app, ActionCode.ACCEPT)


def _assigned_message(accepted, created):
    excluded = [r for r in created if r.status == ExpertReview.Status.EXCLUDED]
    invited = len(created) - len(excluded)
    message = f"{'已受理，并' if accepted else '已追加'}分配 {invited} 名评审专家，系统已通知其先声明利益冲突、再评分。"
    if excluded:
        names = "；".join(f"{r.expert.full_name}（{r.exclusion_reason}）" for r in excluded)
        message += f"以下专家按规则须回避，已记录为“规则回避”，不参与评分：{names}。"
    return message


@login_required
def accept(request, pk):
    app = _application(request, pk)
    if request.method == "GET":
        reads.record_view(request, app, page="accept")
    form = AssignForm(_posted(request), application=app)
    if request.method == "POST" and form.is_valid():
        started = timezone.now()
        try:
            data = form.cleaned_data
            created = experts.choose(app, request.user, list(data["experts"]), data["reason"])
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "accept"})
            form.add_error(None, str(exc))
        else:
            # Read after the locked step: if another official accepted first, this one only added experts.
            accepting = app.transitions.filter(action=ActionCode.ACCEPT, actor=request.user, at__gte=started).exists()
            messages.success(request, _assigned_message(accepting, created))
            return redirect("reviews:scores", app.pk)
    assigned = {r.expert_id: r for r in app.expert_reviews.all()}
    candidates = [
        {"expert": e, "reason": experts.exclusion_reason(e, app), "review": assigned.get(e.pk)}
        for e in experts.candidate_experts()
    ]
    candidates.sort(key=lambda c: c["review"] is not None)  # those still selectable first
    context = {
        "app": app,
        "form": form,
        "candidates": candidates,
        "chosen": form.chosen_ids(),
        "refusal": _assign_refusal(request.user, app),
        "deadline": app.call.acceptance_deadline,
        "remaining": remaining(app.call.acceptance_deadline),
        "passed": deadlines.passed(app.call.acceptance_deadline),
    }
    return render(request, "reviews/region/accept.html", context)


# --- scoring progress and the 专家评分表 ---


@login_required
def scores(request, pk):
    app = _application(request, pk)
    invitations.expire_overdue()  # unanswered invitations past their limit bring in reserves before the page shows
    reads.record_view(request, app, page="scores")
    deadline = app.call.scoring_deadline
    context = {
        "app": app,
        "sheet": build(app),
        "deadline": deadline,
        "remaining": remaining(deadline),
        "passed": deadlines.passed(deadline),
        "may_add_experts": app.status == Status.UNDER_REVIEW,
    }
    return render(request, "reviews/region/scores.html", context)


@login_required
@require_POST
def withdraw_expert(request, pk, review_pk):
    """撤回分配 of an expert who has not finished, so the application is not held up by one absence."""
    app = _application(request, pk)
    review = scoping.get_visible_or_404(ExpertReview.objects.visible_to(request.user), pk=review_pk, application=app)
    try:
        experts.withdraw_assignment(review, request.user, request.POST.get("reason", "")[:150])
    except WorkflowRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "withdraw_expert"})
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤回{review.expert.full_name}的评审任务。")
    return redirect("reviews:scores", app.pk)


@login_required
def scoresheet(request, pk, fmt):
    _department_only(request.user)
    if fmt not in DOWNLOADS:
        raise Http404("不支持的格式")
    app = application_for(request.user, pk)
    render_file, content_type = DOWNLOADS[fmt]
    content = render_file(build(app))
    reads.record_download(request, app, document="scoresheet", format=fmt)
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    return FileResponse(
        content, as_attachment=True, filename=f"专家评分表-{app.number}.{fmt}", content_type=content_type
    )


# --- the decision, 公示 and 立项 ---


def _decided_message(decision):
    if decision.outcome == Decision.Outcome.SUPPORT:
        return (
            f"已作出拟支持决定，奖补资金 {decision.amount} 万元；"
            f"公示期 {decision.publicity_starts:%Y年%m月%d日} 至 {decision.publicity_ends:%Y年%m月%d日}。"
        )
    return "已作出不予支持决定，申报单位和牵头盟市将收到通知。"


@login_required
def decide(request, pk):
    app = _application(request, pk)
    if app.status != Status.AWAITING_DECISION:
        if request.method == "GET":
            reads.record_view(request, app, page="decide")
        return render_decided(request, app)
    if request.method == "GET":
        reads.record_view(request, app, page="decide")
    requested = decisions.requested_amount(app)
    form = DecisionForm(_posted(request), requested=requested)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == Decision.Outcome.SUPPORT:
                decision = decisions.support(
                    app, request.user, data["amount"], data["publicity_starts"], data["publicity_ends"], data["reason"]
                )
            else:
                decision = decisions.reject(app, request.user, data["reason"])
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "decide"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, _decided_message(decision))
            return redirect("reviews:detail", app.pk)
    context = {"app": app, "form": form, "sheet": build(app), "requested": requested}
    return render(request, "reviews/region/decide.html", context)


def render_decided(request, app, answer_forms=None, revoke_form=None, status=200):
    """The decide page once decided: the decision, the 公示's objections with a form to answer each, and
    立项 or (an objection found 成立) 不予支持 when the workflow offers them."""
    decision = Decision.objects.filter(application=app).select_related("decided_by").first()
    if decision is None:
        raise Http404("该申报尚无评审决定")
    answer_forms = answer_forms or {}
    rows = [
        {"objection": o, "form": answer_forms.get(o.pk) or AnswerForm(prefix=f"answer-{o.pk}")}
        for o in scoping.objections_for(request.user, app.objections.all())
    ]
    codes = {a.code for a in workflow.actions_for(request.user, app)}
    context = {
        "app": app,
        "decision": decision,
        "sheet": build(app),
        "objections": rows,
        "unanswered": sum(1 for r in rows if not r["objection"].is_answered),
        "may_establish": ActionCode.ESTABLISH in codes,
        "establish_refusal": workflow.refusal(request.user, app, ActionCode.ESTABLISH) if app.is_publicising else None,
        "may_revoke": ActionCode.REVOKE in codes,
        "revoke_form": revoke_form or RevokeForm(),
    }
    return render(request, "reviews/region/decide.html", context, status=status)


@login_required
@require_POST
def establish(request, pk):
    app = _application(request, pk)
    try:
        decisions.establish(app, request.user)
    except WorkflowRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "establish"})
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已立项：{app.number} 公示期满无异议，立项通知已生成，申报单位和牵头盟市将收到通知。"
        )
    return redirect("reviews:detail", app.pk)


# --- the call's timetable ---


@login_required
def schedule(request, code):
    if not scoping.may_extend_deadlines(request.user):
        raise PermissionDenied("只有自治区工业和信息化厅可以调整批次时间安排。")
    call = get_object_or_404(Call, code=code)
    action = request.POST.get("action") if request.method == "POST" else None
    stage_form = StageDeadlineForm(request.POST if action == "stages" else None, call=call)
    extension_form = ExtensionForm(request.POST if action == "extend" else None)
    if action == "stages" and stage_form.is_valid():
        try:
            data = stage_form.cleaned_data
            set_stage_deadlines(
                call, request.user, data["recommend_deadline"], data["acceptance_deadline"], data["scoring_deadline"]
            )
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=call, detail={"step": "stage_deadlines"})
            stage_form.add_error(None, str(exc))
        else:
            messages.success(request, "批次各阶段截止时间已保存。")
            return redirect("reviews:schedule", call.code)
    if action == "extend" and extension_form.is_valid():
        data = extension_form.cleaned_data
        try:
            extension = decisions.extend_recommend_deadline(
                call, data["region"], data["until"], data["reason"], request.user
            )
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=call, detail={"step": "extend_deadline"})
            extension_form.add_error(None, str(exc))
        else:
            messages.success(request, f"已将{extension.region.name}的推荐截止时间延长，并通知该盟市工信局。")
            return redirect("reviews:schedule", call.code)
    extensions = [
        {"row": e, "remaining": remaining(e.recommend_until)}
        for e in call.extensions.select_related("region", "granted_by").order_by("region__code")
    ]
    context = {
        "call": call,
        "stages": timetable(call),
        "stage_form": stage_form,
        "extension_form": extension_form,
        "extensions": extensions,
    }
    return render(request, "reviews/region/schedule.html", context)

"""Experts (评审专家): assignment with automatic exclusion, conflict declaration, score sheets, completion.

An expert sees nothing of an application's content until it has declared no conflict of interest;
the platform itself excludes an expert whose own organisation or 盟市 is the applicant's. When every
assigned expert has submitted or recused, the application moves on to 待决定.

Every step is audited inside its own transaction (an action that cannot be audited does not happen): the
entry names the review by its id and 申报编号 and keeps the numbers that matter — the total, how many
dimensions are scored, whether a conflict was declared — never a comment, an opinion or a statement.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import scoping
from accounts.models import Role, User
from applications import workflow
from applications.models import Status
from applications.workflow import ActionCode
from audit.log import record
from audit.models import Result
from calls import deadlines
from reviews import invitations, notices
from reviews.models import ExpertReview
from reviews.scoring import read_sheet


class ReviewRefused(workflow.WorkflowRefused):
    """Why this expert step cannot be taken now."""


def _same(a, b):
    return "".join((a or "").split()) == "".join((b or "").split()) != ""


def exclusion_reason(expert, application):
    """Why the rules exclude this expert from this application (回避), or "" when they do not."""
    organisation = application.organisation
    if _same(expert.affiliation, organisation.name):
        return f"专家工作单位（{expert.affiliation}）即申报单位"
    regions = {application.lead_region_id, organisation.region_id}
    regions |= set(application.participating_regions.values_list("pk", flat=True))
    if expert.region_id and expert.region_id in regions:
        return f"专家所在盟市（{expert.region.name}）为申报单位所在或参与盟市"
    return ""


def candidate_experts():
    return User.objects.filter(role=Role.EXPERT, is_active=True).select_related("region").order_by("full_name")


def choose(application, user, experts, reason, now=None):
    """人工选择: experts ticked by hand instead of drawn — only with the 经办人's reason, recorded on each task."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused("人工选择专家须填写理由（如：抽取后备选专家不足、需特定领域专家）。")
    return assign(application, user, experts, now=now, reason=reason[:200])


def assign(application, user, experts, now=None, reason=""):
    """受理 and assign experts in one step; experts the rules exclude are recorded as excluded.

    The pages reach it through `choose` (a reason is required) or a draw (reviews/draws.py)."""
    with transaction.atomic():
        app = workflow.locked(application)
        if app.status == Status.RECOMMENDED:
            _check_assignable(app, experts)
            workflow.move(app, ActionCode.ACCEPT, user, now=now)
            notices.accepted(app, user)
        elif app.status == Status.UNDER_REVIEW and workflow.in_scope(user, app, workflow.ACTIONS[ActionCode.ACCEPT]):
            _check_assignable(app, experts)  # adding experts while scoring goes on
        else:
            raise ReviewRefused(workflow.refusal(user, app, ActionCode.ACCEPT, now) or "当前不能分配专家。")
        reviews = []
        for expert in experts:
            rule = exclusion_reason(expert, app)
            review, created = ExpertReview.objects.get_or_create(
                application=app,
                expert=expert,
                defaults={
                    "version": app.latest_version,
                    "assigned_by": user,
                    "status": ExpertReview.Status.EXCLUDED if rule else ExpertReview.Status.ASSIGNED,
                    "exclusion_reason": rule,
                    "manual_reason": reason,
                },
            )
            if created:
                reviews.append(review)
                record(
                    "expert_assign",
                    user=user,
                    obj=review,
                    detail={
                        **_about(app),
                        "expert": expert.username,
                        "excluded": bool(rule),
                        "manual_reason_chars": len(reason),
                    },
                )
                if not rule:
                    notices.assigned(review)
        return reviews


def _about(application):
    """What every expert entry says of the application: its id and 申报编号, nothing of its content."""
    return {"application": application.pk, "number": application.number}


def _check_assignable(app, experts):
    if not experts:
        raise ReviewRefused("请至少选择一名评审专家。")
    if any(e.role != Role.EXPERT or not e.is_active for e in experts):
        raise ReviewRefused("只能分配有效的评审专家账号。")
    existing = set(app.expert_reviews.exclude(status=ExpertReview.Status.EXCLUDED).values_list("expert_id", flat=True))
    if not existing and all(exclusion_reason(e, app) for e in experts):
        raise ReviewRefused("所选专家均须回避（与申报单位同单位或同盟市），请另选至少一名专家。")


def _locked_review(review, user):
    row = ExpertReview.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    if row.expert_id != user.pk:
        raise ReviewRefused("这不是分配给您的评审任务。")
    if row.application.status != Status.UNDER_REVIEW:
        raise ReviewRefused(f"申报书当前为“{row.application.get_status_display()}”，评审已结束。")
    return row


def _check_scoring_open(row, now):
    deadline = row.application.call.scoring_deadline
    if deadlines.passed(deadline, now):
        raise ReviewRefused(f"专家评审已于 {deadlines.format_time(deadline)} 截止，不能再修改评分。")


def declare(review, user, has_conflict, statement="", now=None):
    """利益冲突声明: no conflict opens the content for scoring; a conflict recuses the expert."""
    statement = (statement or "").strip()
    with transaction.atomic():
        row = _locked_review(review, user)
        if row.is_declined:
            raise ReviewRefused("您已谢绝这份邀请，或未在期限内答复，邀请已失效。")
        if row.status != ExpertReview.Status.ASSIGNED:
            raise ReviewRefused("您已作出利益冲突声明。")
        if row.respond_by and (now or timezone.now()) > row.respond_by:
            raise ReviewRefused(f"答复期限（{deadlines.format_time(row.respond_by)}）已过，邀请已失效。")
        if has_conflict and not statement:
            raise ReviewRefused("请说明存在的利益冲突情形。")
        row.status = ExpertReview.Status.RECUSED if has_conflict else ExpertReview.Status.SCORING
        row.conflict_statement = statement
        row.declared_at = now or timezone.now()
        row.save(update_fields=["status", "conflict_statement", "declared_at"])
        detail = {**_about(row.application), "conflict": has_conflict, "statement_chars": len(statement)}
        record("conflict_declare", user=user, obj=row, detail=detail)
        if has_conflict:
            invitations.recused(row, user, now or timezone.now())
            finish_if_all_done(row, user, now)
        return row


def save_sheet(review, user, data, now=None):
    """暂存: keep every valid score and comment; the sheet reports what is wrong with the rest."""
    return _record(review, user, data, now, complete=False)


def submit_sheet(review, user, data, now=None):
    """提交评分: every dimension scored and an overall opinion, then the scores are final."""
    return _record(review, user, data, now, complete=True)


def _record(review, user, data, now, complete):
    with transaction.atomic():
        row = _locked_review(review, user)
        if row.status != ExpertReview.Status.SCORING:
            raise ReviewRefused(
                "评分已提交，不能修改。" if row.status == ExpertReview.Status.SUBMITTED else "请先声明利益冲突。"
            )
        _check_scoring_open(row, now)
        sheet = read_sheet(row.version.schema.rubric, data, complete)
        # A score typed wrong keeps the one saved before; a cleared one is cleared.
        kept = {k: v for k, v in row.scores.items() if f"score_{k}" in sheet.errors}
        row.scores = {**kept, **sheet.scores}
        row.comments = sheet.comments
        row.opinion = sheet.opinion
        row.total = sum((Decimal(v) for v in row.scores.values()), Decimal(0)) if row.scores else None
        row.saved_at = now or timezone.now()
        fields = ["scores", "comments", "opinion", "total", "saved_at"]
        if complete and not sheet.errors:
            row.status = ExpertReview.Status.SUBMITTED
            row.submitted_at = row.saved_at
            fields += ["status", "submitted_at"]
        row.save(update_fields=fields)
        submitted = row.status == ExpertReview.Status.SUBMITTED
        record(
            "score_submit" if complete else "score_save",
            user=user,
            obj=row,
            # 提交评分 with something still wrong keeps the valid scores as a draft: recorded as failed.
            result=Result.FAILURE if complete and not submitted else Result.SUCCESS,
            detail={
                **_about(row.application),
                "total": str(row.total) if row.total is not None else None,
                "scored": len(row.scores),
                "problems": len(sheet.errors),
                "status": row.status,
            },
        )
        if submitted:
            finish_if_all_done(row, user, now)
        return row, sheet


def withdraw_assignment(review, user, reason, now=None):
    """撤回分配: the 自治区 takes the task back from an expert who has not finished (it no longer counts)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        app = workflow.locked(review.application)
        row = ExpertReview.objects.select_for_update().get(pk=review.pk)
        if not scoping.may_manage_experts(user):
            raise ReviewRefused("只有自治区工业和信息化厅可以撤回专家分配。")
        if app.status != Status.UNDER_REVIEW or row.is_finished:
            raise ReviewRefused(f"{row.expert.full_name}的评审任务已{row.get_status_display()}，不能撤回分配。")
        if not reason:
            raise ReviewRefused("请填写撤回分配的理由。")
        row.status = ExpertReview.Status.REMOVED
        row.exclusion_reason = f"自治区撤回分配：{reason}"[:200]
        row.save(update_fields=["status", "exclusion_reason"])
        detail = {**_about(app), "expert": row.expert.username, "reason_chars": len(reason)}
        record("expert_withdraw", user=user, obj=row, detail=detail)
        notices.assignment_withdrawn(row)
        finish_if_all_done(row, user, now)
        return row


def finish_if_all_done(row, user, now):
    """The last expert to finish moves the application to 待决定 (if anyone scored).

    When the 自治区 withdrew the last open task, the move is recorded as the last expert who scored's.
    """
    app = workflow.locked(row.application)
    reviews = list(app.expert_reviews.all())
    if not all(r.is_finished for r in reviews):
        return
    if any(r.status == ExpertReview.Status.SUBMITTED for r in reviews):
        scored = [r for r in reviews if r.status == ExpertReview.Status.SUBMITTED]
        actor = user if user.role == Role.EXPERT else max(scored, key=lambda r: r.submitted_at).expert
        workflow.move(app, ActionCode.SCORING_DONE, actor, reason="全部专家已提交评分或回避", now=now)
        notices.scoring_done(app)
    else:
        notices.no_expert_left(app)

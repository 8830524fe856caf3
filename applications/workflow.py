"""The workflow of PRODUCT.md §5 as one table, and the one function that moves an application along it.

Every move runs in a transaction with the application row locked, is refused with a clear Chinese
sentence unless this role may take this action on this application in this state before this
stage's deadline, and writes a Transition: who, role, when, from, to, the reason, the version.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications import deadlines
from applications.models import Application, Status, Transition
from audit import log as audit_log
from calls.deadlines import format_time, passed


class WorkflowRefused(Exception):
    """Why this action cannot be taken now, as one sentence for the person who tried."""


class ActionCode(StrEnum):
    """The actions of the table, by the code a Transition records (Transition.action) and URLs never show."""

    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    BUREAU_RETURN = "bureau_return"
    RECOMMEND = "recommend"
    REGION_RETURN = "region_return"
    ACCEPT = "accept"
    SCORING_DONE = "scoring_done"
    SUPPORT = "support"
    REJECT = "reject"
    ESTABLISH = "establish"
    REVOKE = "revoke"


@dataclass(frozen=True)
class Action:
    code: ActionCode
    label: str
    role: str
    sources: tuple
    target: str
    needs_reason: bool = False


ACTIONS = {
    a.code: a
    for a in (
        Action(ActionCode.SUBMIT, "提交", Role.APPLICANT, (Status.DRAFT,), Status.SUBMITTED),
        Action(ActionCode.RESUBMIT, "重新提交", Role.APPLICANT, (Status.RETURNED,), Status.SUBMITTED),
        # 撤回 goes back to where the applicant came from: a draft, or a return it was answering.
        Action(ActionCode.WITHDRAW, "撤回", Role.APPLICANT, (Status.SUBMITTED,), Status.DRAFT),
        Action(
            ActionCode.BUREAU_RETURN, "退回修改", Role.BUREAU, (Status.SUBMITTED,), Status.RETURNED, needs_reason=True
        ),
        Action(ActionCode.RECOMMEND, "推荐", Role.BUREAU, (Status.SUBMITTED,), Status.RECOMMENDED, needs_reason=True),
        Action(
            ActionCode.REGION_RETURN,
            "退回修改",
            Role.DEPARTMENT,
            (Status.RECOMMENDED,),
            Status.RETURNED,
            needs_reason=True,
        ),
        Action(ActionCode.ACCEPT, "受理并分配专家", Role.DEPARTMENT, (Status.RECOMMENDED,), Status.UNDER_REVIEW),
        # Taken by the platform when the last assigned expert submits or recuses; the actor is that expert.
        Action(ActionCode.SCORING_DONE, "专家评审完成", Role.EXPERT, (Status.UNDER_REVIEW,), Status.AWAITING_DECISION),
        Action(ActionCode.SUPPORT, "拟支持", Role.DEPARTMENT, (Status.AWAITING_DECISION,), Status.PUBLICISING),
        Action(
            ActionCode.REJECT,
            "不予支持",
            Role.DEPARTMENT,
            (Status.AWAITING_DECISION,),
            Status.NOT_SUPPORTED,
            needs_reason=True,
        ),
        Action(ActionCode.ESTABLISH, "公示期满立项", Role.DEPARTMENT, (Status.PUBLICISING,), Status.APPROVED),
        # An objection to the 公示 found 成立: the 自治区 records 不予支持 instead of 立项 (reviews.decisions.revoke).
        Action(
            ActionCode.REVOKE,
            "异议成立，不予支持",
            Role.DEPARTMENT,
            (Status.PUBLICISING,),
            Status.NOT_SUPPORTED,
            needs_reason=True,
        ),
    )
}


def in_scope(user, application, action) -> bool:
    """The actor acts for this application: its own 申报单位, its lead 盟市, the region, an assigned expert."""
    if action.role == Role.APPLICANT:
        return scoping.is_applicant_of(user, application)
    if action.role == Role.BUREAU:
        return scoping.leads_application(user, application)
    if action.role == Role.DEPARTMENT:
        return scoping.has_role(user, Role.DEPARTMENT)
    if action.role == Role.EXPERT:
        return scoping.is_assigned_expert(user, application)
    return False


def deadline_problem(application, action, now):
    """The sentence refusing `action` because its stage's deadline has passed, or None."""
    call = application.call
    if action.code in (ActionCode.SUBMIT, ActionCode.RESUBMIT) and not deadlines.open_for_applicant(application, now):
        deadline = deadlines.edit_deadline(application)
        if deadline is None or not passed(deadline, now):
            return "当前不在申报时间内，不能提交。"
        return f"提交截止时间为 {format_time(deadline)}（以服务器时间为准），已经截止，不能提交。"
    if action.code == ActionCode.WITHDRAW:
        deadline = deadlines.withdraw_deadline(application)
        if passed(deadline, now):
            return f"提交已于 {format_time(deadline)} 截止，不能撤回。"
    if action.code in (ActionCode.BUREAU_RETURN, ActionCode.RECOMMEND):
        deadline = deadlines.bureau_deadline(application)
        if passed(deadline, now):
            return (
                f"本盟市推荐截止时间 {format_time(deadline)} 已过，不能再{action.label}；"
                "如确需办理，请联系自治区工业和信息化厅延长截止时间。"
            )
    if action.code in (ActionCode.REGION_RETURN, ActionCode.ACCEPT) and passed(call.acceptance_deadline, now):
        return f"自治区受理截止时间 {format_time(call.acceptance_deadline)} 已过，请先调整批次时间安排。"
    if action.code == ActionCode.ESTABLISH:
        # The reverse one-to-one (reviews.Decision): the workflow sits below reviews and reads, never imports, it.
        decision = getattr(application, "decision", None)
        if decision is None or decision.publicity_ends is None:
            return "尚未确定公示期，不能立项。"
        if timezone.localdate(now) <= decision.publicity_ends:
            return f"公示期至 {decision.publicity_ends:%Y年%m月%d日} 结束，期满后才能立项。"
    return None


def missing_countersigns(application):
    """The participating 盟市 (Regions, by code) that have not given their 会签 opinion on the version under
    review, when the call requires 会签; empty otherwise. Opinions belong to a version: after a return and a
    resubmission each participating 盟市 is asked again."""
    if not application.schema.requires_countersign:
        return []
    version = application.latest_version
    # The reverse relation (reviews.Countersign): the workflow sits below reviews and reads, never imports, it.
    signed = application.countersigns.filter(version=version).values("region_id") if version else []
    return list(application.participating_regions.exclude(pk=application.lead_region_id).exclude(pk__in=signed))


def prerequisite_problem(application, action):
    """The sentence refusing `action` because something it waits for is missing (会签 before 推荐), or None."""
    if action.code == ActionCode.RECOMMEND:
        missing = missing_countersigns(application)
        if missing:
            names = "、".join(region.name for region in missing)
            return f"本批次要求参与盟市会签：{names}尚未对本版申报材料会签，暂不能推荐。"
    return None


def refusal(user, application, code, now=None):
    """Why `user` may not take action `code` on `application` now, or None when the move is allowed."""
    action = ACTIONS[code]
    if not scoping.has_role(user, action.role):
        return f"只有{Role(action.role).label}可以{action.label}。"
    if not in_scope(user, application, action):
        return f"这份申报不在您的办理范围内，不能{action.label}。"
    if application.status not in action.sources:
        return f"申报书当前为“{application.get_status_display()}”，不能{action.label}。"
    return (
        deadline_problem(application, action, now or timezone.now())
        or prerequisite_problem(application, action)
        or objection_problem(application, action)
    )


def objection_problem(application, action):
    """The sentence refusing 立项 or its reverse because of the 公示's objections (异议), or None.

    立项 waits until every objection is answered and none was found 成立; 不予支持 during 公示 needs one
    found 成立. The objections are reviews.Objection rows, read through the reverse relation (the
    workflow sits below reviews and never imports it)."""
    if action.code not in (ActionCode.ESTABLISH, ActionCode.REVOKE) or application.pk is None:
        return None
    objections = application.objections
    if action.code == ActionCode.ESTABLISH:
        if count := objections.unanswered().count():
            return f"公示期间收到的 {count} 条异议尚未答复，答复后才能立项。"
        if objections.upheld().exists():
            return "有异议经核实成立，不能立项；请作出“异议成立，不予支持”的决定。"
        return None
    if not objections.upheld().exists():
        return "只有公示期间的异议经核实成立，才能改为不予支持。"
    return None


def allowed(user, application, code, now=None) -> bool:
    return refusal(user, application, code, now) is None


def locked(application):
    """The application row, locked for the rest of the transaction, with what the checks read."""
    return (
        Application.objects.select_for_update()
        .select_related("call", "organisation", "lead_region")
        .get(pk=application.pk)
    )


def move(application, code, user, reason="", version=None, now=None):
    """Check and take one step of the table on a locked application; the caller saves nothing else.

    Must run inside transaction.atomic() on a row from `locked()`; returns the Transition written.
    """
    action = ACTIONS[code]
    problem = refusal(user, application, code, now)
    if problem:
        raise WorkflowRefused(problem)
    reason = (reason or "").strip()
    if action.needs_reason and not reason:
        raise WorkflowRefused(f"{action.label}须填写意见或理由。")
    target = action.target
    if code == ActionCode.WITHDRAW and deadlines.answering_return(application):
        target = Status.RETURNED
    transition = Transition.objects.create(
        application=application,
        from_status=application.status,
        to_status=target,
        action=code,
        actor=user,
        actor_role=user.role,
        reason=reason,
        version=version or application.latest_version,
        at=now or timezone.now(),
    )
    # The database's trigger has set the row's moved_at (MAX of its transitions' times); keep this object in step.
    application.moved_at = max(filter(None, (application.moved_at, transition.at)))
    application.status = target
    application.save(update_fields=["status", "updated_at"])
    audit_log.record(
        "transition",
        user=user,
        obj=application,
        detail={
            "transition": transition.pk,
            "code": code,
            "from": transition.from_status,
            "to": target,
            # The reason or opinion stays on the Transition, for those scoping lets read it; the log, read
            # by the 审计管理员, who reads no application content, keeps its length (docs/audit.md).
            "reason_chars": len(reason),
            "version": transition.version.number if transition.version else None,
        },
    )
    return transition


def take(application, code, user, reason="", now=None):
    """A move with nothing else to record (退回, 立项): lock, check, record, in one transaction."""
    with transaction.atomic():
        app = locked(application)
        return move(app, code, user, reason=reason, now=now)


def actions_for(user, application, now=None):
    """The actions this user could take on this application right now, for the buttons a page offers."""
    return [
        a for a in ACTIONS.values() if a.code != ActionCode.SCORING_DONE and allowed(user, application, a.code, now)
    ]

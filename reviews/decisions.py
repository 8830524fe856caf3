"""The 自治区's own steps besides experts: 退回, 拟支持 / 不予支持, 公示 and 立项, deadline extensions."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import scoping
from applications import workflow
from applications.workflow import ActionCode, WorkflowRefused
from audit.log import record
from calls.models import DeadlineExtension
from calls.schema.values import Invalid, parse_decimal
from reviews import notices
from reviews.models import Decision

MAX_AMOUNT = Decimal("100000000")  # 万元; anything near it is a unit mistake
MIN_PUBLICITY_DAYS = 5  # calendar days, start and end included; the form says so


def return_for_revision(application, user, reason, now=None):
    """退回修改 by the 自治区 at 受理 (形式审查): back to the applicant, then to its 盟市 again."""
    with transaction.atomic():
        app = workflow.locked(application)
        transition = workflow.move(app, ActionCode.REGION_RETURN, user, reason=reason, now=now)
        notices.returned(app, transition)
        return transition


def parse_amount(text):
    try:
        amount = parse_decimal(text, places=2, minimum=0, maximum=MAX_AMOUNT)
    except Invalid as exc:
        raise WorkflowRefused(f"奖补金额：{exc}") from exc
    if amount <= 0:
        raise WorkflowRefused("奖补金额应大于 0 万元。")
    return amount


def requested_amount(application):
    """The 自治区奖补资金 the application asked for in its latest submitted version: the answer to the field its
    schema marks `requested` (calls/schemas: roles: [requested]); None when the call marks none or it is blank."""
    version = application.latest_version
    if version is None:
        return None
    field = version.schema.role("requested")
    if field is None:
        return None
    try:
        return parse_decimal(version.data.get(field.key) or "", places=field.places)
    except Invalid:
        return None


def amount_problem(amount, requested, reason):
    """Why `amount` (万元) needs more than it has: above the `requested` funds without a reason; else None."""
    if requested is not None and amount > requested and not (reason or "").strip():
        return (
            f"拟支持金额 {amount} 万元超过申请的自治区奖补资金 {requested} 万元，"
            "须在“决定理由”中说明超出申请金额的理由。"
        )
    return None


def support(application, user, amount_text, starts, ends, reason="", now=None):
    """拟支持 with 奖补金额 (万元, 2 decimals) and the 公示 period; the application goes to 公示中.

    More than the application requested (requested_amount) needs a reason."""
    amount = parse_amount(amount_text)
    if problem := amount_problem(amount, requested_amount(application), reason):
        raise WorkflowRefused(problem)
    if starts is None or ends is None:
        raise WorkflowRefused("请填写公示开始和结束日期。")
    if starts < timezone.localdate(now):
        raise WorkflowRefused("公示开始日期不能早于今天。")
    if (ends - starts).days < MIN_PUBLICITY_DAYS - 1:
        raise WorkflowRefused(f"公示期不少于 {MIN_PUBLICITY_DAYS} 天，请检查结束日期。")
    return _decide(application, user, ActionCode.SUPPORT, Decision.Outcome.SUPPORT, reason, now, amount, starts, ends)


def reject(application, user, reason, now=None):
    """不予支持 with a reason; the application ends as 未通过."""
    return _decide(application, user, ActionCode.REJECT, Decision.Outcome.REJECT, reason, now)


def _decide(application, user, code, outcome, reason, now, amount=None, starts=None, ends=None):
    with transaction.atomic():
        app = workflow.locked(application)
        summary = f"拟支持，奖补 {amount} 万元；公示 {starts:%Y-%m-%d} 至 {ends:%Y-%m-%d}" if amount else reason
        transition = workflow.move(app, code, user, reason=summary if amount else reason, now=now)
        decision = Decision.objects.create(
            application=app,
            version=transition.version,
            outcome=outcome,
            amount=amount,
            reason=(reason or "").strip(),
            publicity_starts=starts,
            publicity_ends=ends,
            decided_by=user,
            decided_at=transition.at,
        )
        notices.decided(app, decision)
        return decision


def establish(application, user, now=None):
    """公示期满无异议 → 已立项: only once the 公示 end date has passed."""
    with transaction.atomic():
        app = workflow.locked(application)
        transition = workflow.move(app, ActionCode.ESTABLISH, user, reason="公示期满无异议", now=now)
        decision = Decision.objects.get(application=app)
        decision.closed_at = transition.at
        decision.save(update_fields=["closed_at"])
        notices.established(app)
        return decision


def revoke(application, user, reason, now=None):
    """异议成立，不予支持: an objection to the 公示 was found 成立, so 公示中 → 未通过 instead of 立项.

    The decision is kept and turned: 不予支持 with this reason; its amount and 公示 dates stay as the record
    of what was publicised."""
    with transaction.atomic():
        app = workflow.locked(application)
        transition = workflow.move(app, ActionCode.REVOKE, user, reason=reason, now=now)
        decision = Decision.objects.select_for_update().get(application=app)
        decision.outcome = Decision.Outcome.REJECT
        decision.reason = transition.reason
        decision.closed_at = transition.at
        decision.save(update_fields=["outcome", "reason", "closed_at"])
        notices.decided(app, decision)
        return decision


def extend_recommend_deadline(call, region, until, reason, user, now=None):
    """The 自治区 gives one 盟市 until `until` to recommend; the 盟市 is told."""
    if not scoping.may_extend_deadlines(user):
        raise WorkflowRefused("只有自治区工业和信息化厅可以延长推荐截止时间。")
    if until is None or until <= (now or timezone.now()):
        raise WorkflowRefused("延长后的截止时间应晚于当前时间。")
    if call.recommend_deadline and until <= call.recommend_deadline:
        raise WorkflowRefused("延长后的截止时间应晚于批次的盟市推荐截止时间。")
    if not (reason or "").strip():
        raise WorkflowRefused("请填写延长理由。")
    with transaction.atomic():
        extension, _ = DeadlineExtension.objects.update_or_create(
            call=call,
            region=region,
            defaults={
                "recommend_until": until,
                "reason": reason.strip(),
                "granted_by": user,
                "granted_at": timezone.now(),
            },
        )
        detail = {"call": call.code, "region": region.code, "until": until, "reason_chars": len(reason.strip())}
        record("deadline_extend", user=user, obj=extension, detail=detail)
        notices.deadline_extended(extension)
        return extension

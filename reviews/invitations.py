"""Invitations of drawn experts (随机抽取, reviews/draws.py): accept, decline, or let the time limit pass.

Accepting *is* the existing 利益冲突声明 (reviews/experts.declare): a drawn expert answers the invitation
by declaring — no conflict opens the application for scoring, a conflict recuses it — or declines with
a reason (`decline`). No answer by the draw's time limit counts as a decline (`expire_overdue`), run by
`manage.py expire_expert_invitations` (cron, every few minutes) and whenever the 自治区 opens a draw's
record or an application's scores page, so a missed cron run is caught on the next look. A decline, an
expiry or a recusal brings in the next reserve of the draw (`replace`), who gets the same time to answer
as the first invitations had; each step is audited and the 自治区 is told. In a 评审组 the expert is
invited to, and declines, every application of the group at once.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.log import record
from reviews import notices
from reviews.models import ExpertDraw, ExpertProfile, ExpertReview

REASON_MAX = 150


class InvitationRefused(Exception):
    """Why this answer to an invitation cannot be taken."""


def _about(review):
    return {"application": review.application_id, "number": review.application.number, "draw": review.draw_id}


def invite(draw, expert, actor, now, respond_by=None):
    """The expert's task on every application of the draw, with the time limit to answer, and a notice."""
    created = []
    for app in draw.applications.order_by("pk"):
        review, made = ExpertReview.objects.get_or_create(
            application=app,
            expert=expert,
            defaults={
                "version": app.latest_version,
                "assigned_by": actor,
                "assigned_at": now,
                "status": ExpertReview.Status.ASSIGNED,
                "draw": draw,
                "respond_by": respond_by or draw.respond_by,
            },
        )
        if made:
            created.append(review)
            detail = {**_about(review), "expert": expert.username, "excluded": False}
            record("expert_assign", user=actor, obj=review, detail=detail)
    if created:
        notices.invited(created)
    return created


def _answer_window(draw):
    return draw.respond_by - draw.drawn_at


def replace(draw, actor, now, leaving):
    """Invite the next reserve who is still available; tell the 自治区 who came, or that none is left."""
    draw = ExpertDraw.objects.select_for_update().get(pk=draw.pk)
    reserves = draw.reserve_ids
    skipped = []
    while draw.reserves_used < len(reserves):
        expert_id = reserves[draw.reserves_used]
        draw.reserves_used += 1
        expert = User.objects.filter(pk=expert_id, is_active=True).first()
        paused = ExpertProfile.objects.filter(expert_id=expert_id, status=ExpertProfile.Status.PAUSED).exists()
        if expert is None or paused:
            skipped.append(expert_id)
            continue
        draw.save(update_fields=["reserves_used"])
        invite(draw, expert, actor, now, respond_by=now + _answer_window(draw))
        record(
            "expert_replace",
            user=actor,
            obj=draw,
            detail={
                "replaced": leaving.username,
                "expert": expert.username,
                "position": draw.reserves_used,
                "skipped": skipped,
            },
        )
        notices.reserve_invited(draw, leaving, expert)
        return expert
    draw.save(update_fields=["reserves_used"])
    record(
        "expert_replace",
        user=actor,
        obj=draw,
        detail={"replaced": leaving.username, "expert": None, "skipped": skipped},
    )
    notices.no_reserve_left(draw, leaving)
    return None


def _leave(rows, status, reason, actor, now, action):
    """Close the expert's open invitations of one draw, bring in a reserve, and move on what is done."""
    from reviews import experts

    first = rows[0]
    for row in rows:
        row.status = status
        row.decline_reason = reason[:200]
        row.declared_at = now
        row.save(update_fields=["status", "decline_reason", "declared_at"])
        record(action, user=actor, obj=row, detail={**_about(row), "reason_chars": len(reason)})
    notices.declined(first, expired=status == ExpertReview.Status.EXPIRED)
    replace(first.draw, actor, now, first.expert)
    for row in rows:
        experts.finish_if_all_done(row, actor, now)


def _open_invitations(draw_id, expert_id):
    return list(
        ExpertReview.objects.select_for_update()
        .select_related("application", "expert", "draw")
        .filter(draw_id=draw_id, expert_id=expert_id, status=ExpertReview.Status.ASSIGNED)
        .order_by("application_id")
    )


def decline(review, user, reason, now=None):
    """谢绝邀请: the drawn expert says no, with a reason; a reserve is invited in its place."""
    reason = (reason or "").strip()
    now = now or timezone.now()
    if not reason:
        raise InvitationRefused("请填写谢绝的理由。")
    if len(reason) > REASON_MAX:
        raise InvitationRefused(f"谢绝理由不超过 {REASON_MAX} 字。")
    with transaction.atomic():
        rows = _open_invitations(review.draw_id, user.pk) if review.draw_id and review.expert_id == user.pk else []
        if not rows:
            raise InvitationRefused("这份邀请已答复或已失效，不能再谢绝。")
        if rows[0].respond_by and now > rows[0].respond_by:
            raise InvitationRefused("答复期限已过，邀请已失效。")
        _leave(rows, ExpertReview.Status.DECLINED, reason, user, now, "expert_decline")
        return rows


def expire_overdue(now=None):
    """Every invitation not answered by its time limit counts as declined; returns how many experts."""
    now = now or timezone.now()
    overdue = (
        ExpertReview.objects.filter(status=ExpertReview.Status.ASSIGNED, respond_by__lt=now, draw__isnull=False)
        .values_list("draw_id", "expert_id")
        .distinct()
    )
    count = 0
    for draw_id, expert_id in list(overdue):
        with transaction.atomic():
            rows = [r for r in _open_invitations(draw_id, expert_id) if r.respond_by and r.respond_by < now]
            if rows:
                actor = rows[0].draw.drawn_by  # recorded as the draw's 经办人's step, done by the platform
                _leave(rows, ExpertReview.Status.EXPIRED, "逾期未答复", actor, now, "expert_expired")
                count += 1
    return count


def recused(row, user, now):
    """A drawn expert who declared a conflict (reviews/experts.declare) is replaced by the next reserve."""
    if row.draw_id:
        replace(row.draw, user, now, row.expert)

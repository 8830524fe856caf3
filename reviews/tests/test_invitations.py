"""Invitations of drawn experts: accept by declaring, decline with a reason, expire at the limit; a reserve
comes in each time, and when none is left the 自治区 is told."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from audit.models import AuditEntry
from notifications.models import Notification
from reviews import draws, experts, invitations
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(recommended, department):
    pool = [factories.expert("150100", full_name=f"专家{i}", affiliation=f"单位{i}") for i in range(4)]
    made = draws.draw(
        [recommended],
        department,
        experts=2,
        reserves=1,
        cap=5,
        respond_by=timezone.now() + timedelta(days=2),
        fields=["economics"],
    )
    by_pk = {e.pk: e for e in pool}
    return made, [by_pk[pk] for pk in made.drawn_ids], by_pk[made.reserve_ids[0]]


def _review(made, expert):
    return ExpertReview.objects.get(draw=made, expert=expert)


def test_accepting_is_the_conflict_declaration(drawn):
    made, (first, _), _ = drawn
    review = experts.declare(_review(made, first), first, has_conflict=False)
    assert review.is_scoring and not review.awaits_answer


def test_declining_needs_a_reason_and_brings_in_the_first_reserve(drawn, department):
    made, (first, _), reserve = drawn
    with pytest.raises(invitations.InvitationRefused, match="请填写谢绝的理由"):
        invitations.decline(_review(made, first), first, " ")
    invitations.decline(_review(made, first), first, "时间冲突")

    declined = _review(made, first)
    assert declined.is_declined and declined.decline_reason == "时间冲突"
    replacement = _review(made, reserve)
    assert replacement.awaits_answer and replacement.respond_by > timezone.now()
    made.refresh_from_db()
    assert made.reserves_used == 1 and made.reserves_left == 0
    assert AuditEntry.objects.filter(action="expert_decline").count() == 1
    assert AuditEntry.objects.get(action="expert_replace").detail["expert"] == reserve.username
    assert Notification.objects.filter(recipient=department, title="已递补备选专家").exists()
    assert Notification.objects.filter(recipient=reserve, title__startswith="评审邀请").exists()


def test_with_no_reserve_left_the_department_is_told(drawn, department):
    made, (first, second), _reserve = drawn
    invitations.decline(_review(made, first), first, "时间冲突")
    invitations.decline(_review(made, second), second, "出差")
    assert Notification.objects.filter(recipient=department, title="备选专家已用完，请补充专家").exists()
    assert ExpertReview.objects.filter(draw=made).pending().count() == 1  # the reserve


def test_a_recusal_also_brings_in_the_reserve(drawn):
    made, (first, _), reserve = drawn
    experts.declare(_review(made, first), first, has_conflict=True, statement="曾任该促进会顾问")
    assert _review(made, reserve).awaits_answer


def test_no_answer_by_the_limit_expires_and_brings_in_the_reserve(drawn):
    made, (first, second), reserve = drawn
    experts.declare(_review(made, second), second, has_conflict=False)
    assert invitations.expire_overdue(now=made.respond_by) == 0  # at the limit: still on time
    later = made.respond_by + timedelta(seconds=1)
    assert invitations.expire_overdue(now=later) == 1
    assert _review(made, first).status == ExpertReview.Status.EXPIRED
    assert _review(made, second).is_scoring  # answered: untouched
    assert _review(made, reserve).respond_by > later
    assert AuditEntry.objects.filter(action="expert_expired").count() == 1


def test_after_the_limit_the_expert_can_no_longer_accept_or_decline(drawn):
    made, (first, _), _ = drawn
    late = made.respond_by + timedelta(minutes=1)
    with pytest.raises(experts.ReviewRefused, match="答复期限"):
        experts.declare(_review(made, first), first, has_conflict=False, now=late)
    with pytest.raises(invitations.InvitationRefused, match="答复期限已过"):
        invitations.decline(_review(made, first), first, "晚了", now=late)


def test_the_command_expires_overdue_invitations(drawn, monkeypatch):
    made, (first, _), reserve = drawn
    ExpertReview.objects.filter(draw=made).update(respond_by=timezone.now() - timedelta(minutes=1))
    call_command("expire_expert_invitations")
    assert _review(made, first).status == ExpertReview.Status.EXPIRED
    assert _review(made, reserve).awaits_answer


def test_opening_the_record_page_runs_the_expiry_check(client, drawn, department):
    made, (first, _), _ = drawn
    ExpertReview.objects.filter(draw=made, expert=first).update(respond_by=timezone.now() - timedelta(minutes=1))
    client.force_login(department)
    page = client.get(reverse("reviews:draw_record", args=[made.pk])).content.decode()
    assert _review(made, first).status == ExpertReview.Status.EXPIRED
    assert "逾期未答复" in page


def test_the_expert_declines_on_its_page(client, drawn):
    made, (first, _), reserve = drawn
    review = _review(made, first)
    client.force_login(first)
    page = client.get(reverse("reviews:expert_review", args=[review.pk])).content.decode()
    assert "谢绝邀请" in page and "接受邀请并提交声明" in page
    empty = client.post(reverse("reviews:expert_decline", args=[review.pk]), {"reason": ""})
    assert empty.status_code == 400
    done = client.post(reverse("reviews:expert_decline", args=[review.pk]), {"reason": "时间冲突"})
    assert done.status_code == 302
    assert _review(made, reserve).awaits_answer
    # The declined task is gone from the expert's pages.
    assert client.get(reverse("reviews:expert_review", args=[review.pk])).status_code == 404


def test_the_application_moves_on_when_the_remaining_experts_finish(drawn):
    made, (first, second), reserve = drawn
    app = made.applications.get()
    invitations.decline(_review(made, first), first, "时间冲突")
    for expert in (second, reserve):
        review = experts.declare(_review(made, expert), expert, has_conflict=False)
        scores = {f"score_{d.key}": "10" for d in review.version.schema.rubric}
        experts.submit_sheet(review, expert, {**scores, "opinion": "同意"})
    app.refresh_from_db()
    assert app.status == Status.AWAITING_DECISION

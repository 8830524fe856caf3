"""reviews/notices.py: who hears of each step; the daily run tells of 公示 beginning and ending, once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from notifications.models import Event, Notification
from reviews import decisions, experts
from reviews.models import Decision
from reviews.schedule import set_stage_deadlines
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(under_review):
    under_review.status = Status.AWAITING_DECISION
    under_review.save()
    return under_review


def test_a_decision_with_a_later_publicity_tells_of_the_decision_but_not_yet_of_the_publicity(awaiting, department):
    start = timezone.localdate() + timedelta(days=2)
    decisions.support(awaiting, department, "200.00", start, start + timedelta(days=6))
    events = set(Notification.objects.filter(application=awaiting).values_list("event", flat=True))
    assert Event.DECIDED in events and Event.PUBLICITY_STARTED not in events


def test_the_daily_run_tells_of_publicity_starting_and_ending_once_each(awaiting, department, bureau, capsys):
    today = timezone.localdate()
    decisions.support(awaiting, department, "200.00", today + timedelta(days=1), today + timedelta(days=7))
    Decision.objects.filter(application=awaiting).update(
        publicity_starts=today - timedelta(days=8), publicity_ends=today - timedelta(days=1)
    )
    call_command("send_deadline_reminders")
    call_command("send_deadline_reminders")
    started = Notification.objects.filter(event=Event.PUBLICITY_STARTED, application=awaiting)
    assert set(started.values_list("recipient", flat=True)) == {awaiting.created_by.pk, bureau.pk}
    over = Notification.objects.filter(event=Event.PUBLICITY_ENDED, application=awaiting)
    assert list(over.values_list("recipient", flat=True)) == [department.pk]
    assert "已发送 0 条公示通知" in capsys.readouterr().out


def test_an_excluded_expert_hears_nothing_of_the_application(recommended, department):
    local = factories.user(Role.EXPERT, region_code="150200", full_name="包头专家")
    other = factories.user(Role.EXPERT, region_code="150100", full_name="呼市专家")
    experts.assign(recommended, department, [local, other])
    assert not Notification.objects.filter(recipient=local).exists()
    assert Notification.objects.filter(recipient=other, event=Event.ASSIGNED).exists()


def test_changing_the_timetable_tells_every_bureau_and_the_experts_still_scoring(under_review, department, expert):
    call = under_review.call
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    later = call.recommend_deadline + timedelta(days=30)
    set_stage_deadlines(call, department, call.recommend_deadline, later, later + timedelta(days=10))
    told = Notification.objects.filter(title="批次时间安排已调整")
    assert {tongliao.pk, expert.pk} <= set(told.values_list("recipient", flat=True))
    assert "专家评审截止时间调整为" in told.filter(recipient=expert).get().body
    assert "盟市推荐截止时间" not in told.first().body  # unchanged, so not announced

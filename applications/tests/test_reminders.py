from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from notifications.models import Event, Notification
from tests import factories


def closing_in(call, delta):
    call.applicant_closes_at = timezone.now() + delta
    call.save()
    return call


def remind():
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    return out.getvalue()


def application_in(status, call):
    app = factories.application(factories.user(Role.APPLICANT), call)
    app.status = status
    app.save()
    return app


def test_deadline_reminder_is_sent_once_to_drafts_only(call):
    closing_in(call, timedelta(days=2))
    call.recommend_deadline = timezone.now() + timedelta(days=2)  # a 盟市 return is answered by this one
    call.save()
    draft = application_in(Status.DRAFT, call)
    returned = application_in(Status.RETURNED, call)
    application_in(Status.SUBMITTED, call)

    assert "已发送 2 条截止提醒" in remind()
    assert "已发送 0 条截止提醒" in remind()
    reminded = Notification.objects.filter(event=Event.DEADLINE)
    assert {n.application for n in reminded} == {draft, returned}
    assert {n.recipient.organisation for n in reminded} == {draft.organisation, returned.organisation}


def test_reminder_states_the_local_deadline_and_links_to_the_application(call, draft):
    local = timezone.localtime() + timedelta(days=2)
    call.applicant_closes_at = local.replace(hour=17, minute=0, second=0, microsecond=0)
    call.save()
    remind()
    (notification,) = Notification.objects.filter(recipient=draft.created_by)
    assert notification.title == f"申报将于 {local:%Y年%m月%d日} 17:00 截止"
    assert "尚未提交" in notification.body
    assert notification.url == reverse("applications:overview", args=[draft.pk])
    assert notification.dedupe_key == f"deadline:{draft.pk}:{int(call.applicant_closes_at.timestamp())}"


def test_returned_application_is_reminded_of_its_own_deadline_not_the_call_window(call):
    closing_in(call, timedelta(days=2))
    returned = application_in(Status.RETURNED, call)  # returned by its 盟市: due by the recommendation deadline
    call.recommend_deadline = timezone.now() + timedelta(days=10)
    call.save()
    assert "已发送 0 条截止提醒" in remind()
    call.recommend_deadline = timezone.now() + timedelta(days=1)
    call.save()
    assert "已发送 1 条截止提醒" in remind()
    assert Notification.objects.get().application == returned


def test_an_extended_deadline_is_reminded_again(call, draft):
    closing_in(call, timedelta(days=2))
    remind()
    closing_in(call, timedelta(days=3) - timedelta(minutes=5))
    assert "已发送 1 条截止提醒" in remind()


def test_every_active_user_of_the_organisation_is_reminded(call, draft, applicant):
    colleague = factories.user(Role.APPLICANT, organisation_obj=applicant.organisation, username="colleague")
    closing_in(call, timedelta(hours=5))
    remind()
    assert set(Notification.objects.values_list("recipient", flat=True)) == {applicant.pk, colleague.pk}


@pytest.mark.parametrize("delta", [timedelta(days=4), -timedelta(minutes=1)])
def test_no_reminder_far_from_the_deadline_or_after_it(call, draft, delta):
    closing_in(call, delta)
    assert "已发送 0 条截止提醒" in remind()
    assert not Notification.objects.exists()


def test_no_reminder_for_an_unpublished_call(call, draft):
    closing_in(call, timedelta(days=1))
    call.is_published = False
    call.save()
    remind()
    assert not Notification.objects.exists()

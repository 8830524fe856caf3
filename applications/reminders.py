"""截止提醒: remind applicants whose application is still unsubmitted as the deadline nears."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from applications import deadlines
from applications.models import Application
from calls.models import Call
from notifications.models import Event
from notifications.service import notify

REMIND_WITHIN = timedelta(days=3)


def send_deadline_reminders(now=None) -> int:
    """Notify every applicant whose draft or returned application is due within three days.

    Each person is reminded once per application (dedupe_key), however often this runs.
    Returns how many notifications were sent.
    """
    now = now or timezone.now()
    applications = (
        Application.objects.editable()
        .filter(call__in=Call.objects.published())
        .select_related("call", "organisation", "lead_region")
        .order_by("pk")
    )
    sent = 0
    for application in applications:
        # A returned application has its own deadline (the stage that returned it), see applications.deadlines.
        deadline = deadlines.edit_deadline(application)
        if deadline and now < deadline <= now + REMIND_WITHIN and deadlines.open_for_applicant(application, now):
            sent += len(_remind(application, deadline))
    return sent


def _remind(application, deadline):
    call = application.call
    closes = timezone.localtime(deadline)
    state = "已退回修改，尚未重新提交" if application.is_returned else "尚未提交"
    return notify(
        application.organisation.users.all(),
        Event.DEADLINE,
        f"申报将于 {closes:%Y年%m月%d日 %H:%M} 截止",
        body=(
            f"您单位的《{call.name}》申报书（编号 {application.number}）{state}。"
            f"请在 {closes:%Y年%m月%d日 %H:%M} 前完成填报并提交，逾期系统将不再接受提交。"
        ),
        url=reverse("applications:overview", args=[application.pk]),
        application=application,
        # Once per application and deadline: an extended deadline is reminded again.
        dedupe_key=f"deadline:{application.pk}:{int(deadline.timestamp())}",
    )

"""Who is told what when an applicant submits or withdraws, and who the workflow's notices go to:
the applicants of an application, its lead 盟市's bureau, the 自治区's department. reviews/notices.py
tells of the later steps with the same recipients and links."""

from django.urls import reverse

from accounts.models import Role, User
from applications.workflow import ActionCode
from notifications.models import Event
from notifications.service import notify


def applicants(app):
    return User.objects.filter(role=Role.APPLICANT, organisation_id=app.organisation_id, is_active=True)


def bureau(region_id):
    return User.objects.filter(role=Role.BUREAU, region_id=region_id, is_active=True)


def participating_bureaus(app):
    """The bureaus of the application's participating 盟市 (参与盟市): told of each step, asked for 会签."""
    taking_part = app.participating_regions.exclude(pk=app.lead_region_id).values("pk")
    return User.objects.filter(role=Role.BUREAU, region_id__in=taking_part, is_active=True)


def department():
    return User.objects.filter(role=Role.DEPARTMENT, is_active=True)


def overview_url(app):
    return reverse("applications:overview", args=[app.pk])


def review_url(app):
    return reverse("reviews:detail", args=[app.pk])


def application_name(app):
    return f"{app.number}（{app.title}）"


def submitted(app, transition):
    resubmitted = transition.action == ActionCode.RESUBMIT
    event = Event.RESUBMITTED if resubmitted else Event.SUBMITTED
    word = "重新提交" if resubmitted else "提交"
    notify(
        bureau(app.lead_region_id),
        event,
        f"{app.organisation.name}{word}了申报书，待初审",
        f"申报书 {application_name(app)} 已{word}（第 {transition.version.number} 版），请初审。",
        review_url(app),
        app,
    )
    notify(
        applicants(app),
        event,
        f"申报书已{word}",
        f"{application_name(app)} 已{word}，等待{app.lead_region.bureau_name}初审。",
        overview_url(app),
        app,
    )
    schema = app.schema
    ask = "请在牵头盟市推荐前会签（同意或不同意，并填写意见）。" if schema.asks_countersign else "请知悉。"
    if schema.requires_countersign:
        ask = "本批次要求参与盟市会签，" + ask
    notify(
        participating_bureaus(app),
        event,
        f"本盟市参与的跨盟市申报已{word}",
        f"{app.lead_region.name}牵头的申报书 {application_name(app)} 已{word}（第 {transition.version.number} 版），"
        f"本盟市为参与盟市。{ask}",
        review_url(app),
        app,
    )


def withdrawn(app):
    notify(
        bureau(app.lead_region_id),
        Event.WITHDRAWN,
        f"{app.organisation.name}撤回了申报书",
        f"{application_name(app)} 已由申报单位撤回。",
        "/",
        app,
    )

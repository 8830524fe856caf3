"""The call's timetable page: the 自治区 sets stage deadlines in order and extends one 盟市's."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import workflow
from calls.models import DeadlineExtension
from regions.models import Region
from tests import factories


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_schedule_shows_every_stage_and_time_left(client, call, department):
    call.scoring_deadline = None
    call.save()
    client.force_login(department)
    text = page(client, "reviews:schedule", call.code)
    for label in ("申报单位提交", "盟市推荐", "自治区受理", "专家评审"):
        assert label in text
    assert "还剩 9 天" in text and "未设置（不限时）" in text


def test_stage_deadlines_out_of_order_are_refused(client, call, department):
    client.force_login(department)
    before = call.recommend_deadline
    response = client.post(
        reverse("reviews:schedule", args=[call.code]),
        {
            "action": "stages",
            "recommend_deadline": local(call.applicant_closes_at + timedelta(days=5)),
            "acceptance_deadline": local(call.applicant_closes_at + timedelta(days=3)),
            "scoring_deadline": local(call.applicant_closes_at + timedelta(days=9)),
        },
    )
    assert response.status_code == 200
    assert "自治区受理截止时间" in response.content.decode() and "不能早于盟市推荐截止时间" in response.content.decode()
    call.refresh_from_db()
    assert call.recommend_deadline == before and call.acceptance_deadline is None


def test_a_recommend_deadline_before_the_applicant_deadline_is_refused(client, call, department):
    client.force_login(department)
    response = client.post(
        reverse("reviews:schedule", args=[call.code]),
        {
            "action": "stages",
            "recommend_deadline": local(call.applicant_closes_at - timedelta(days=1)),
            "acceptance_deadline": local(call.applicant_closes_at + timedelta(days=3)),
            "scoring_deadline": local(call.applicant_closes_at + timedelta(days=9)),
        },
    )
    assert "不能早于申报截止时间" in response.content.decode()


def test_stage_deadlines_in_order_are_saved_in_beijing_time(client, call, department):
    client.force_login(department)
    response = client.post(
        reverse("reviews:schedule", args=[call.code]),
        {
            "action": "stages",
            "recommend_deadline": "2099-06-10T17:30",
            "acceptance_deadline": "2099-06-20T17:30",
            "scoring_deadline": "2099-06-30T17:30",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert timezone.localtime(call.scoring_deadline).strftime("%Y-%m-%d %H:%M") == "2099-06-30 17:30"
    assert call.scoring_deadline.utcoffset() is not None
    assert timezone.localtime(call.scoring_deadline).utcoffset() == timedelta(hours=8)


def test_extending_one_region_lets_it_recommend_after_the_call_deadline_but_not_another(
    client, media, call, department
):
    baotou_app = factories.submitted_application("150200")
    chifeng_app = factories.submitted_application("150400")
    baotou = factories.user(Role.BUREAU, region_code="150200")
    chifeng = factories.user(Role.BUREAU, region_code="150400")
    after_deadline = call.recommend_deadline + timedelta(days=1)
    assert not workflow.allowed(baotou, baotou_app, "recommend", now=after_deadline)

    client.force_login(department)
    response = client.post(
        reverse("reviews:schedule", args=[call.code]),
        {
            "action": "extend",
            "region": Region.objects.get(code="150200").pk,
            "until": local(call.recommend_deadline + timedelta(days=5)),
            "reason": "受疫情影响，实地核实推迟。",
        },
    )

    assert response.status_code == 302
    assert DeadlineExtension.objects.get(call=call).region.code == "150200"
    assert workflow.allowed(baotou, baotou_app, "recommend", now=after_deadline)
    assert not workflow.allowed(chifeng, chifeng_app, "recommend", now=after_deadline)
    assert "受疫情影响，实地核实推迟。" in page(client, "reviews:schedule", call.code)


def test_an_extension_without_a_reason_is_refused_and_keeps_the_date(client, call, department):
    client.force_login(department)
    until = local(call.recommend_deadline + timedelta(days=5))
    response = client.post(
        reverse("reviews:schedule", args=[call.code]),
        {"action": "extend", "region": Region.objects.get(code="150200").pk, "until": until, "reason": ""},
    )
    text = response.content.decode()
    assert "请填写延长理由。" in text and f'value="{until}"' in text
    assert not DeadlineExtension.objects.exists()

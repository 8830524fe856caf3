"""会签: the participating 盟市 give 同意/不同意 and an opinion on the version under 初审, before 推荐."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications import submission, workflow
from applications.models import Status, Transition
from audit.models import AuditEntry
from calls.schema.model import COUNTERSIGN_NONE, COUNTERSIGN_OPTIONAL, Schema
from notifications.models import Notification
from reviews import countersign, experts, initial_review
from reviews.models import Countersign, Recommendation
from tests import factories

pytestmark = pytest.mark.django_db

CHIFENG, TONGLIAO = "150400", "150500"
TONGLIAO_OPINION = "通辽市同意联合培育，配套企业产能属实。"


@pytest.fixture
def app(media, call):
    """A 包头 cluster with 赤峰 and 通辽 taking part, submitted as 第1版 and site-visited by 包头."""
    app = factories.submitted_application("150200", data={"participating_regions": [TONGLIAO, CHIFENG]})
    initial_review.record_site_visit(app, lead(app), timezone.localdate(), "王伟", "生产经营正常")
    return app


def lead(app):
    return factories.user(Role.BUREAU, region_code="150200", full_name="包头审核员")


def bureau_of(code):
    return factories.user(Role.BUREAU, region_code=code, full_name=f"{code}经办人")


def policy(monkeypatch, value):
    """The call's `countersign:` as if its schema said `value` (the 2024 call's yaml says required)."""
    monkeypatch.setattr(Schema, "requires_countersign", property(lambda schema: False))
    monkeypatch.setattr(Schema, "asks_countersign", property(lambda schema: value != COUNTERSIGN_NONE))


def recommend(app, user):
    return initial_review.recommend(app, user, "同意推荐", factories.upload())


def post(client, user, app, **data):
    client.force_login(user)
    return client.post(reverse("reviews:countersign", args=[app.pk]), data)


# --- The rule: 推荐 waits for every participating 盟市 when the call requires it ---


def test_the_2024_call_requires_countersign():
    from calls.models import Call

    schema = Call.objects.get(code="cluster-2024").schema
    assert schema.countersign == "required" and schema.requires_countersign and schema.asks_countersign


def test_recommending_is_refused_naming_every_participating_region_still_missing(app):
    bureau = lead(app)
    with pytest.raises(workflow.WorkflowRefused) as refused:
        recommend(app, bureau)
    assert str(refused.value) == "本批次要求参与盟市会签：赤峰市、通辽市尚未对本版申报材料会签，暂不能推荐。"
    countersign.record_opinion(app, bureau_of(CHIFENG), False, "赤峰市配套企业未实际参与。")
    with pytest.raises(workflow.WorkflowRefused, match="：通辽市尚未对本版申报材料会签"):
        recommend(app, bureau)
    countersign.record_opinion(app, bureau_of(TONGLIAO), True, TONGLIAO_OPINION)
    # 不同意 is an opinion given: the lead 盟市 decides, with it on record.
    recommend(app, bureau)
    app.refresh_from_db()
    assert app.status == Status.RECOMMENDED


def test_the_refusal_is_the_servers_and_the_page_names_the_missing_region(client, app):
    bureau = lead(app)
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    client.force_login(bureau)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "通辽市尚未对本版申报材料会签，暂不能推荐" in page
    assert f'action="/reviews/{app.pk}/recommend/"' not in page  # no 推荐 form is offered
    response = client.post(
        reverse("reviews:recommend", args=[app.pk]), {"opinion": "同意推荐", "sealed_file": factories.upload()}
    )
    assert response.status_code == 400
    assert "通辽市尚未对本版申报材料会签，暂不能推荐" in response.content.decode()
    assert not Recommendation.objects.filter(application=app).exists()
    assert not Transition.objects.filter(application=app, action="recommend").exists()


@pytest.mark.parametrize("value", [COUNTERSIGN_OPTIONAL, COUNTERSIGN_NONE])
def test_a_call_that_does_not_require_countersign_lets_the_lead_recommend_without_it(monkeypatch, app, value):
    policy(monkeypatch, value)
    recommend(app, lead(app))
    app.refresh_from_db()
    assert app.status == Status.RECOMMENDED


def test_an_optional_countersign_may_still_be_given(monkeypatch, client, app):
    policy(monkeypatch, COUNTERSIGN_OPTIONAL)
    response = post(client, bureau_of(TONGLIAO), app, verdict="agree", opinion=TONGLIAO_OPINION)
    assert response.status_code == 302
    assert Countersign.objects.get(application=app).agrees


def test_a_call_without_countersign_offers_no_form_and_refuses_one(monkeypatch, client, app):
    policy(monkeypatch, COUNTERSIGN_NONE)
    tongliao = bureau_of(TONGLIAO)
    client.force_login(tongliao)
    assert "提交会签意见" not in client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert post(client, tongliao, app, verdict="agree", opinion="同意").status_code == 403
    assert not Countersign.objects.exists()


# --- Who may sign: a participating 盟市, while the lead 盟市 has it under 初审 ---


def test_the_participating_bureau_signs_on_the_review_page(client, app):
    tongliao = bureau_of(TONGLIAO)
    client.force_login(tongliao)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "提交会签意见" in page and "只能查看申报材料和审核记录并会签" in page
    response = post(client, tongliao, app, verdict="disagree", opinion=TONGLIAO_OPINION)
    assert response.status_code == 302
    row = Countersign.objects.get()
    assert (row.application, row.version, row.region.code, row.agrees) == (app, app.latest_version, TONGLIAO, False)
    assert row.opinion == TONGLIAO_OPINION and row.recorded_by == tongliao
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "提交会签意见" not in page and "对第1版会签：不同意" in page


def test_an_opinion_is_given_once_per_version(client, app):
    tongliao = bureau_of(TONGLIAO)
    countersign.record_opinion(app, tongliao, True, "同意。")
    response = post(client, bureau_of(TONGLIAO), app, verdict="disagree", opinion="改为不同意。")
    assert response.status_code == 400
    assert "本盟市已对第1版会签，会签意见提交后不能修改。" in response.content.decode()
    assert Countersign.objects.get().agrees


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead", 403),  # it recommends; it does not sign its own application
        ("department", 403),
        ("unrelated", 404),  # 乌海 does not take part: the application does not exist for it
        ("applicant", 404),
        ("expert", 404),
    ],
)
def test_nobody_else_may_sign(client, app, who, status):
    user = {
        "lead": lambda: lead(app),
        "department": lambda: factories.user(Role.DEPARTMENT),
        "unrelated": lambda: bureau_of("150300"),
        "applicant": lambda: app.created_by,
        "expert": lambda: factories.user(Role.EXPERT, region_code="150100"),
    }[who]()
    assert post(client, user, app, verdict="agree", opinion="同意").status_code == status
    assert not Countersign.objects.exists()


@pytest.mark.parametrize("status", [s for s in Status if s != Status.SUBMITTED])
def test_a_participating_bureau_signs_only_while_the_application_awaits_the_lead(app, status):
    type(app).objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()
    tongliao = bureau_of(TONGLIAO)
    assert not scoping.may_countersign(tongliao, app)
    with pytest.raises(workflow.WorkflowRefused, match="不在盟市初审阶段"):
        countersign.record_opinion(app, tongliao, True, "同意")
    assert not Countersign.objects.exists()


def test_a_participating_bureau_may_not_recommend_or_return(client, app):
    tongliao = bureau_of(TONGLIAO)
    countersign.record_opinion(app, tongliao, True, "同意。")
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    client.force_login(tongliao)
    recommend_url = reverse("reviews:recommend", args=[app.pk])
    assert client.post(recommend_url, {"opinion": "同意", "sealed_file": factories.upload()}).status_code == 403
    assert client.post(reverse("reviews:return", args=[app.pk]), {"reason": "退回"}).status_code == 403
    assert workflow.refusal(tongliao, app, "recommend") == "这份申报不在您的办理范围内，不能推荐。"
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


# --- The opinion: 字数 at the boundary, a verdict, nothing typed lost ---


def test_the_opinion_may_have_500_characters_whitespace_not_counted(client, app):
    text = "同" * 250 + " \n " + "意" * 250
    assert post(client, bureau_of(TONGLIAO), app, verdict="agree", opinion=text).status_code == 302


def test_an_opinion_of_501_characters_is_refused_next_to_the_field_and_kept(client, app):
    text = "同" * 501
    response = post(client, bureau_of(TONGLIAO), app, verdict="agree", opinion=text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "会签意见不超过 500 字，现为 501 字，请删减。" in page
    assert text in page  # nothing typed is lost
    assert 'class="error-summary"' in page
    assert not Countersign.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [({"opinion": "同意"}, "请选择同意或不同意。"), ({"verdict": "agree", "opinion": "  "}, "请填写会签意见。")],
)
def test_a_verdict_and_an_opinion_are_both_needed(client, app, data, message):
    response = post(client, bureau_of(TONGLIAO), app, **data)
    assert response.status_code == 400 and message in response.content.decode()


# --- Opinions belong to a version ---


def test_a_resubmission_after_a_return_asks_for_fresh_opinions(client, app):
    bureau = lead(app)
    countersign.record_opinion(app, bureau_of(TONGLIAO), True, TONGLIAO_OPINION)
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    initial_review.return_for_revision(app, bureau, "请补充通辽配套企业名单。")
    app.refresh_from_db()
    submission.submit(app, app.created_by, revision_note="已补充通辽配套企业名单。")
    app.refresh_from_db()
    assert [r.code for r in workflow.missing_countersigns(app)] == [CHIFENG, TONGLIAO]
    assert scoping.may_countersign(bureau_of(TONGLIAO), app)
    page = page_of(client, bureau, app)
    assert TONGLIAO_OPINION in page and "此前版本的会签" in page and page.count("待会签") == 2


# --- Who reads the opinions ---


def page_of(client, user, app):
    client.force_login(user)
    response = client.get(reverse("reviews:detail", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_and_the_region_read_every_opinion_a_participating_bureau_its_own(client, app):
    countersign.record_opinion(app, bureau_of(TONGLIAO), True, TONGLIAO_OPINION)
    countersign.record_opinion(app, bureau_of(CHIFENG), False, "赤峰市配套企业未实际参与。")
    for reader in (lead(app), factories.user(Role.DEPARTMENT)):
        page = page_of(client, reader, app)
        assert TONGLIAO_OPINION in page and "赤峰市配套企业未实际参与。" in page
    page = page_of(client, bureau_of(TONGLIAO), app)
    assert TONGLIAO_OPINION in page and "赤峰市配套企业未实际参与。" not in page


def test_an_expert_reads_the_opinions_only_after_declaring_no_conflict(client, app):
    countersign.record_opinion(app, bureau_of(TONGLIAO), True, TONGLIAO_OPINION)
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    recommend(app, lead(app))
    expert = factories.user(Role.EXPERT, region_code="150100")
    (review,) = experts.assign(app, factories.user(Role.DEPARTMENT), [expert])
    client.force_login(expert)
    url = reverse("reviews:expert_review", args=[review.pk])
    assert TONGLIAO_OPINION not in client.get(url).content.decode()
    experts.declare(review, expert, has_conflict=False)
    page = client.get(url).content.decode()
    assert "参与盟市会签" in page and TONGLIAO_OPINION in page


# --- Audit and notices ---


def test_an_opinion_is_audited_with_ids_and_the_verdict_never_its_text(app):
    row = countersign.record_opinion(app, bureau_of(TONGLIAO), False, TONGLIAO_OPINION)
    entry = AuditEntry.objects.filter(action="countersign").get()
    assert entry.detail == {
        "application": app.pk,
        "number": app.number,
        "version": 1,
        "region": TONGLIAO,
        "agrees": False,
    }
    assert (entry.object_type, entry.object_id) == ("countersign", str(row.pk))
    assert not any(TONGLIAO_OPINION in str(e.detail) for e in AuditEntry.objects.all())


def test_the_participating_bureau_is_told_of_each_step_and_the_lead_of_each_opinion(app):
    tongliao = bureau_of(TONGLIAO)
    app.refresh_from_db()
    # Told at submission (the fixture's), asked to sign; the new account sees the next steps.
    countersign.record_opinion(app, tongliao, True, "同意。")
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    assert Notification.objects.filter(recipient__region__code="150200", title="通辽市已会签（同意）").exists()
    initial_review.return_for_revision(app, lead(app), "请补充。")
    app.refresh_from_db()
    submission.submit(app, app.created_by, revision_note="已补充。")
    titles = set(Notification.objects.filter(recipient=tongliao).values_list("title", flat=True))
    returned_title = f"本盟市参与的跨盟市申报被{app.lead_region.bureau_name}退回修改"
    assert {returned_title, "本盟市参与的跨盟市申报已重新提交"} <= titles
    body = Notification.objects.filter(recipient=tongliao, title="本盟市参与的跨盟市申报已重新提交").get().body
    assert "本批次要求参与盟市会签" in body
    app.refresh_from_db()
    countersign.record_opinion(app, tongliao, True, "同意。")
    countersign.record_opinion(app, bureau_of(CHIFENG), True, "同意。")
    initial_review.record_site_visit(app, lead(app), timezone.localdate(), "王伟", "已补充")
    recommend(app, lead(app))
    assert Notification.objects.filter(recipient=tongliao, title="本盟市参与的跨盟市申报已获推荐").exists()
    # An unrelated 盟市 hears nothing of it.
    assert not Notification.objects.filter(recipient__region__code="150300").exists()


def test_the_participating_bureau_is_told_of_the_decision(app):
    from reviews import notices
    from reviews.models import Decision

    tongliao = bureau_of(TONGLIAO)
    decision = Decision(application=app, outcome=Decision.Outcome.REJECT, reason="创新能力不足")
    notices.decided(app, decision)
    assert Notification.objects.filter(recipient=tongliao, title="评审结果：不予支持").exists()


def test_the_participating_bureaus_list_shows_what_waits_for_its_opinion(client, app):
    tongliao = bureau_of(TONGLIAO)
    client.force_login(tongliao)
    url = reverse("reviews:inbox") + "?tab=joined"
    page = client.get(url).content.decode()
    assert app.number in page and "待本盟市会签" in page
    countersign.record_opinion(app, tongliao, True, "同意。")
    page = client.get(url).content.decode()
    assert app.number in page and "待本盟市会签" not in page
    # 赤峰 has not signed: its own list still asks it.
    client.force_login(bureau_of(CHIFENG))
    assert "待本盟市会签" in client.get(url).content.decode()

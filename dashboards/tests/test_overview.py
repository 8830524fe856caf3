"""A call's overview: counts by state and by 盟市, waiting times per stage, scoring progress — as counted by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from applications import demo, submission
from applications.models import Application, Status, Transition
from dashboards.overview import call_overview
from regions.models import Region
from reviews import experts, initial_review
from tests import factories

NOW = timezone.now()


def recommend(app):
    bureau = factories.user(Role.BUREAU, region_code=app.lead_region.code)
    findings = "集群企业生产经营正常，申报数据与现场核实一致。"
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟、刘芳", findings)
    initial_review.recommend(app, bureau, "经初审和实地核实，同意推荐。", factories.upload("推荐文件.pdf"))
    app.refresh_from_db()
    return app


def waited(app, days):
    """Pretend `app` entered its state `days` before NOW, and took its earlier steps a month ago."""
    steps = Transition.objects.filter(application=app)
    steps.update(at=NOW - timedelta(days=30))
    steps.filter(pk=steps.order_by("-pk").first().pk).update(at=NOW - timedelta(days=days))


@pytest.fixture
def applications(media, call, department):
    """Two submitted, one returned, one recommended, one under review (one expert scoring, one excluded by rule);
    a draft and a withdrawn application that must not count."""
    submitted_baotou = factories.submitted_application("150200")
    submitted_tongliao = factories.submitted_application("150500")
    returned = factories.submitted_application("150600")
    initial_review.return_for_revision(
        returned, factories.user(Role.BUREAU, region_code="150600"), "请补充研发投入说明。"
    )
    recommended = recommend(factories.submitted_application("150200"))
    under_review = recommend(factories.submitted_application("150200"))
    scoring_expert = factories.user(Role.EXPERT, region_code="150100")
    experts.assign(under_review, department, [scoring_expert, factories.user(Role.EXPERT, region_code="150200")])
    experts.declare(under_review.expert_reviews.get(expert=scoring_expert), scoring_expert, has_conflict=False)
    factories.application(data=demo.COMPLETE)
    withdrawn = factories.submitted_application("150100")
    submission.withdraw(withdrawn, withdrawn.created_by)

    waited(submitted_baotou, 2)
    waited(submitted_tongliao, 5)
    waited(recommended, 1)
    waited(under_review, 0.25)
    return {"submitted_tongliao": submitted_tongliao, "under_review": under_review}


def counts(overview):
    return {status: n for status, _, n in overview.by_status if n}


def test_counts_by_state_follow_the_workflow_and_keep_zeros(applications, department):
    overview = call_overview(Application.objects.visible_to(department), now=NOW)
    assert [(status, label) for status, label, _ in overview.by_status] == [
        ("submitted", "待盟市初审"),
        ("returned", "退回修改"),
        ("recommended", "待自治区受理"),
        ("under_review", "专家评审中"),
        ("awaiting_decision", "待决定"),
        ("publicising", "公示中"),
        ("not_supported", "未通过"),
        ("approved", "已立项"),
    ]
    assert counts(overview) == {"submitted": 2, "returned": 1, "recommended": 1, "under_review": 1}
    assert overview.total == 5


def test_counts_by_lead_league_in_code_order(applications, department):
    overview = call_overview(Application.objects.visible_to(department), now=NOW)
    rows = [(r.region_code, r.region_name, r.total) for r in overview.by_region]
    assert rows == [("150200", "包头市", 3), ("150500", "通辽市", 1), ("150600", "鄂尔多斯市", 1)]
    baotou = overview.by_region[0].counts
    assert (baotou[Status.SUBMITTED], baotou[Status.RECOMMENDED], baotou[Status.UNDER_REVIEW]) == (1, 1, 1)
    assert baotou[Status.APPROVED] == 0


def test_every_league_given_gets_a_row_even_without_applications(applications, department):
    regions = Region.objects.all()
    overview = call_overview(Application.objects.visible_to(department), now=NOW, regions=regions)
    assert [r.region_code for r in overview.by_region] == [r.code for r in regions.order_by("code")]
    hohhot = overview.by_region[0]
    assert (hohhot.region_name, hohhot.total, set(hohhot.counts.values())) == ("呼和浩特市", 0, {0})


def test_waiting_times_per_stage_in_days(applications, department):
    overview = call_overview(Application.objects.visible_to(department), now=NOW)
    rows = [(w.status, w.label, w.count, w.mean_days, w.max_days) for w in overview.waiting]
    assert rows == [
        ("submitted", "待盟市初审", 2, Decimal("3.5"), Decimal("5.0")),
        ("recommended", "待自治区受理", 1, Decimal("1.0"), Decimal("1.0")),
        ("under_review", "专家评审中", 1, Decimal("0.3"), Decimal("0.3")),  # 0.25 days, 四舍五入
        ("awaiting_decision", "待决定", 0, None, None),
        ("publicising", "公示中", 0, None, None),
    ]


def test_without_a_transition_the_wait_counts_from_submission(media, call, department):
    app = factories.submitted_application("150200")
    Transition.objects.filter(application=app).delete()
    type(app).objects.filter(pk=app.pk).update(submitted_at=NOW - timedelta(days=3))
    (submitted, *_) = call_overview(Application.objects.visible_to(department), now=NOW).waiting
    assert (submitted.count, submitted.mean_days) == (1, Decimal("3.0"))


def test_scoring_progress_counts_the_experts_of_applications_under_review(applications, department):
    scoring = call_overview(Application.objects.visible_to(department), now=NOW).scoring
    assert (scoring.applications, scoring.assigned, scoring.declared, scoring.submitted) == (1, 0, 1, 0)
    assert (scoring.recused, scoring.excluded, scoring.removed) == (0, 1, 0)
    assert scoring.outstanding == 1
    assert scoring.expected == 1  # the progress bar's whole: submitted and still owed


def test_a_league_sees_what_it_leads_or_takes_part_in_only(applications, media):
    part = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    overview = call_overview(Application.objects.visible_to(tongliao), now=NOW)
    assert counts(overview) == {"submitted": 2}
    assert [(r.region_name, r.total) for r in overview.by_region] == [("包头市", 1), ("通辽市", 1)]
    assert overview.scoring.applications == 0
    assert part.lead_region.code == "150200"

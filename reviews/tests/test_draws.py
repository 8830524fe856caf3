"""随机抽取: field match, exclusion by rule at each boundary, the refusal when too few are left, the record,
reproduction from the record, manual choice only with a reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from audit.models import AuditEntry
from notifications.models import Notification
from regions.models import Region
from reviews import draws, experts
from reviews.models import ExpertDraw, ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db

HOHHOT, BAOTOU, TONGLIAO, WUHAI, CHIFENG = "150100", "150200", "150500", "150300", "150400"


def _pool(count, region_code=HOHHOT, **fields):
    return [factories.expert(region_code, full_name=f"专家{i}", affiliation=f"单位{i}", **fields) for i in range(count)]


def _draw(apps, user, experts=3, reserves=1, cap=5, **kwargs):
    apps = apps if isinstance(apps, list) else [apps]
    respond_by = kwargs.pop("respond_by", timezone.now() + timedelta(days=3))
    fields = kwargs.pop("fields", ["economics"])
    return draws.draw(
        apps, user, experts=experts, reserves=reserves, cap=cap, respond_by=respond_by, fields=fields, **kwargs
    )


@pytest.fixture
def cross(recommended):
    """The 包头 application, with 通辽 taking part: a cross-盟市 cluster."""
    recommended.participating_regions.add(Region.objects.get(code=TONGLIAO))
    return recommended


def test_the_call_maps_its_industry_onto_fields(recommended):
    codes = draws.fields_for([recommended])
    assert "economics" in codes  # `always:` in cluster_2024.yaml
    assert codes == sorted(codes, key=[c for c, _ in draws.expertise.FIELDS].index)


def test_a_draw_accepts_the_application_invites_n_experts_and_records_everything(cross, department):
    pool = _pool(5)
    made = _draw(cross, department, experts=3, reserves=2)

    cross.refresh_from_db()
    assert cross.status == Status.UNDER_REVIEW
    assert len(made.drawn_ids) == 3 and len(made.reserve_ids) == 2
    assert set(made.drawn_ids) | set(made.reserve_ids) == {e.pk for e in pool}
    assert len(made.seed) == 32 and made.rules["workload_cap"] == 5
    reviews = ExpertReview.objects.filter(application=cross)
    assert {r.expert_id for r in reviews} == set(made.drawn_ids)
    assert all(r.awaits_answer and r.draw_id == made.pk for r in reviews)
    entry = AuditEntry.objects.get(action="expert_draw")
    assert entry.detail["seed"] == made.seed and entry.detail["eligible"] == 5
    invited = Notification.objects.filter(recipient_id__in=made.drawn_ids, title__startswith="评审邀请")
    assert invited.count() == 3


def test_exactly_n_plus_r_eligible_is_enough(recommended, department):
    _pool(4)
    made = _draw(recommended, department, experts=3, reserves=1)
    assert made.result["eligible"] == 4


def test_fewer_than_n_plus_r_eligible_is_refused_with_the_count_and_nothing_changes(recommended, department):
    _pool(3)
    factories.expert(BAOTOU, full_name="包头专家")  # excluded by rule: does not count
    with pytest.raises(draws.DrawRefused, match="符合条件的专家只有 3 名，少于本次需要的 4 名"):
        _draw(recommended, department, experts=3, reserves=1)
    recommended.refresh_from_db()
    assert recommended.status == Status.RECOMMENDED
    assert not ExpertDraw.objects.exists() and not ExpertReview.objects.exists()


def test_each_rule_excludes_with_its_reason(cross, department):
    org = cross.organisation
    _pool(3)
    lead = factories.expert(BAOTOU, full_name="牵头盟市专家")
    joined = factories.expert(TONGLIAO, full_name="参与盟市专家")
    same = factories.expert(WUHAI, full_name="同单位专家", affiliation=org.name)
    tied = factories.expert(WUHAI, full_name="关联专家", ties=[(org.credit_code, org.name)])
    paused = factories.expert(WUHAI, full_name="暂停专家", status="paused")
    other_field = factories.expert(WUHAI, full_name="领域不符专家", fields=["biomedicine"])
    made = _draw(cross, department, experts=2, reserves=1)

    reasons = {e["id"]: e["reason"] for e in made.result["excluded"]}
    assert "为申报单位所在或牵头、参与盟市" in reasons[lead.pk] and "包头市" in reasons[lead.pk]
    assert "通辽市" in reasons[joined.pk]
    assert "即申报单位" in reasons[same.pk]
    assert org.credit_code in reasons[tied.pk] and "关联" in reasons[tied.pk]
    assert reasons[paused.pk] == "专家状态为暂停"
    assert reasons[other_field.pk] == "专业领域不匹配"
    assert not {lead.pk, joined.pk, same.pk, tied.pk, paused.pk, other_field.pk} & set(
        made.drawn_ids + made.reserve_ids
    )


def _row(open_tasks, **extra):
    row = {
        "id": 1, "name": "甲", "affiliation": "某大学", "title": "", "region": None, "region_name": "",
        "fields": ["economics"], "status": "available", "ties": [], "open_tasks": open_tasks, "assigned": False,
    }  # fmt: skip
    return {**row, **extra}


RULES = {
    "workload_cap": 3,
    "fields": ["economics"],
    "applications": [{"id": 1, "number": "X", "organisation": "某促进会", "credit_code": "C", "regions": [5]}],
}


def test_workload_cap_excludes_at_the_cap_not_below_it():
    assert draws.exclusion(_row(2), RULES) == ""
    assert draws.exclusion(_row(3), RULES) == "在审任务 3 项，已达上限 3 项"


def test_open_tasks_are_counted_from_the_pool(under_review, department, expert):
    # `expert` holds one open task (待声明) on `under_review`: with a cap of 1 it is excluded elsewhere.
    from reviews.models import ExpertProfile

    ExpertProfile.objects.create(expert=expert, field_codes=",economics,")
    other = factories.submitted_application(CHIFENG)
    snapshot = draws.take_snapshot([other])
    row = next(r for r in snapshot if r["id"] == expert.pk)
    assert row["open_tasks"] == 1
    rules = {**RULES, "workload_cap": 1, "applications": [draws._applicant(other)]}
    assert draws.exclusion(row, rules).startswith("在审任务 1 项")


def test_the_rank_is_sha256_of_seed_colon_id():
    # Known answer from coreutils: printf '00:1' | sha256sum
    assert draws.rank("00", 1) == "47a09a7b825c818c016e3d24aafa05d0d51a61f6ff6106ae1465f39629f8d231"


def test_a_draw_reproduced_from_its_record_gives_the_same_experts(cross, department):
    _pool(8)
    made = _draw(cross, department, experts=3, reserves=2)
    made = ExpertDraw.objects.get(pk=made.pk)  # as stored
    assert draws.reproduce(made) == made.result
    assert draws.verify(made, department) is True
    assert AuditEntry.objects.get(action="expert_draw_reproduce").detail == {"same": True}
    # Another seed (almost surely) orders them differently; a tampered record does not verify.
    made.seed = "0" * 32
    assert draws.verify(made, department) is (draws.reproduce(made) == made.result)
    made.snapshot = made.snapshot[1:]
    assert draws.verify(made, department) is False


def test_the_same_record_and_seed_always_give_the_same_order():
    snapshot = [_row(0, id=i) for i in range(1, 30)]
    rules = {**RULES, "experts": 5, "reserves": 3}
    first = draws.run(snapshot, rules, "abc")
    assert first == draws.run(list(reversed(snapshot)), rules, "abc")  # input order does not matter
    assert first["drawn"] == sorted(range(1, 30), key=lambda i: draws.rank("abc", i))[:5]


def test_a_group_draw_invites_each_expert_to_every_application(recommended, department, bureau):
    from reviews import initial_review

    second = factories.submitted_application(BAOTOU)
    initial_review.record_site_visit(
        second, bureau, timezone.localdate(), "张伟", "属实", [factories.upload("现场.png")]
    )
    initial_review.recommend(second, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    _pool(4)
    made = _draw([recommended, second], department, experts=2, reserves=1)
    assert made.applications.count() == 2
    assert ExpertReview.objects.filter(draw=made).count() == 4


def test_applications_of_different_calls_or_states_cannot_share_a_draw(recommended, department):
    _pool(4)
    draft = factories.application(factories.user(Role.APPLICANT), recommended.call)
    with pytest.raises(draws.DrawRefused):
        _draw([recommended, draft], department)
    assert not ExpertDraw.objects.exists()


def test_respond_by_must_be_in_the_future_and_only_the_department_draws(recommended, department, bureau):
    _pool(4)
    with pytest.raises(draws.DrawRefused, match="答复截止时间须晚于现在"):
        _draw(recommended, department, respond_by=timezone.now() - timedelta(minutes=1))
    with pytest.raises(draws.DrawRefused):
        _draw(recommended, bureau)


def test_manual_choice_needs_a_reason_and_records_it(recommended, department, expert):
    with pytest.raises(experts.ReviewRefused, match="须填写理由"):
        experts.choose(recommended, department, [expert], "  ")
    (review,) = experts.choose(recommended, department, [expert], "备选专家已用完")
    assert review.manual_reason == "备选专家已用完" and review.draw is None
    entry = AuditEntry.objects.filter(action="expert_assign").latest("seq")
    assert entry.detail["manual_reason_chars"] == 7

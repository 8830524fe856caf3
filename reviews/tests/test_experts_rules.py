"""reviews/experts.py: who the rules exclude, assignment, conflict declaration, and when scoring is done."""

import pytest

from accounts.models import Role
from applications.models import Status, Transition
from notifications.models import Notification
from regions.models import Region
from reviews import experts
from reviews.models import ExpertReview
from tests import factories


def an_expert(region_code=None, affiliation="内蒙古大学", name="专家"):
    return factories.user(Role.EXPERT, region_code=region_code, affiliation=affiliation, full_name=name)


def full_sheet(app, points=None):
    """A complete score sheet: every dimension at its weight minus 2 unless `points` says otherwise."""
    data = {f"score_{d.key}": str(d.weight - 2) for d in app.call.schema.rubric}
    data.update({f"score_{key}": value for key, value in (points or {}).items()})
    data["opinion"] = "集群基础扎实，发展规划可行。"
    return data


def declare_and_submit(app, expert):
    review = ExpertReview.objects.get(application=app, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    row, sheet = experts.submit_sheet(review, expert, full_sheet(app))
    assert sheet.errors == {}
    return row


# --- exclusion by rule (回避) ---


def test_an_expert_of_the_lead_region_is_excluded(draft):
    reason = experts.exclusion_reason(an_expert("150200"), draft)
    assert "包头市" in reason and "盟市" in reason


def test_an_expert_of_the_organisations_region_is_excluded_even_when_another_region_leads(draft):
    draft.lead_region = Region.objects.get(code="150600")
    draft.save()
    assert draft.organisation.region.code == "150200"
    assert "包头市" in experts.exclusion_reason(an_expert("150200"), draft)


def test_an_expert_of_a_participating_region_is_excluded(draft):
    chifeng = Region.objects.get(code="150400")
    assert experts.exclusion_reason(an_expert("150400"), draft) == ""
    draft.participating_regions.add(chifeng)
    assert "赤峰市" in experts.exclusion_reason(an_expert("150400"), draft)


def test_an_expert_working_for_the_applicant_itself_is_excluded(draft):
    name = draft.organisation.name
    spaced = f" {name[:3]} {name[3:]} "  # the same unit, typed with stray spaces
    reason = experts.exclusion_reason(an_expert("150100", affiliation=spaced), draft)
    assert "即申报单位" in reason


def test_an_expert_from_elsewhere_is_not_excluded(draft):
    assert experts.exclusion_reason(an_expert("150100", affiliation="内蒙古工业大学"), draft) == ""
    assert experts.exclusion_reason(an_expert(None, affiliation=""), draft) == ""


# --- assignment ---


def test_assigning_only_excluded_experts_is_refused_and_changes_nothing(recommended, department):
    local = an_expert("150200", name="包头专家")
    with pytest.raises(experts.ReviewRefused, match="均须回避"):
        experts.assign(recommended, department, [local])
    recommended.refresh_from_db()
    assert recommended.status == Status.RECOMMENDED
    assert not ExpertReview.objects.filter(application=recommended).exists()


def test_assigning_records_an_excluded_expert_as_excluded_and_accepts_the_application(recommended, department, expert):
    local = an_expert("150200", name="包头专家")
    created = experts.assign(recommended, department, [expert, local])
    recommended.refresh_from_db()
    assert recommended.status == Status.UNDER_REVIEW
    statuses = {r.expert_id: r.status for r in created}
    assert statuses == {expert.pk: ExpertReview.Status.ASSIGNED, local.pk: ExpertReview.Status.EXCLUDED}
    assert "包头市" in ExpertReview.objects.get(expert=local).exclusion_reason


def test_an_expert_may_be_added_while_scoring_goes_on(under_review, department):
    second = an_expert("150300", name="乌海专家")
    experts.assign(under_review, department, [second])
    assert ExpertReview.objects.filter(application=under_review).count() == 2


# --- declaration and completion ---


def test_declaring_a_conflict_recuses_the_expert(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, has_conflict=True, statement="本人曾为该集群促进组织提供咨询服务。")
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.RECUSED
    assert review.conflict_statement.startswith("本人曾为")
    assert review.declared_at is not None


def test_a_conflict_must_be_explained(under_review, expert):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    with pytest.raises(experts.ReviewRefused, match="请说明"):
        experts.declare(review, expert, has_conflict=True, statement="  ")


def test_the_last_expert_to_submit_moves_the_application_to_awaiting_decision(under_review, department, expert):
    second = an_expert("150300", name="乌海专家")
    experts.assign(under_review, department, [second])

    declare_and_submit(under_review, expert)
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW

    declare_and_submit(under_review, second)
    under_review.refresh_from_db()
    assert under_review.status == Status.AWAITING_DECISION
    done = Transition.objects.get(application=under_review, action="scoring_done")
    assert done.actor == second and done.from_status == Status.UNDER_REVIEW


def test_when_every_expert_recuses_the_application_stays_under_review_and_the_department_is_told(
    under_review, department, expert
):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, has_conflict=True, statement="与申报单位负责人为近亲属。")
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW
    told = Notification.objects.filter(recipient=department, application=under_review, title__contains="均已回避")
    assert told.exists()


# --- 撤回分配: an expert who does not respond ---


def test_withdrawing_the_last_open_task_lets_the_scored_application_move_on(under_review, department, expert):
    silent = an_expert("150300", name="逾期专家")
    experts.assign(under_review, department, [silent])
    declare_and_submit(under_review, expert)
    task = ExpertReview.objects.get(application=under_review, expert=silent)

    experts.withdraw_assignment(task, department, "逾期未评审")

    task.refresh_from_db()
    under_review.refresh_from_db()
    assert task.status == ExpertReview.Status.REMOVED and "逾期未评审" in task.exclusion_reason
    assert under_review.status == Status.AWAITING_DECISION
    assert Transition.objects.get(application=under_review, action="scoring_done").actor == expert
    assert Notification.objects.filter(recipient=silent, title="评审任务已撤回").exists()


def test_a_withdrawn_expert_loses_the_task_and_its_content(under_review, department, expert, client):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    experts.withdraw_assignment(review, department, "另行安排")
    client.force_login(expert)
    assert client.get(f"/reviews/expert/{review.pk}/").status_code == 404
    assert client.get(f"/applications/{under_review.pk}/attachments/").status_code == 404


@pytest.mark.parametrize("who", ["expert", "bureau"])
def test_only_the_region_may_withdraw_a_task_and_only_with_a_reason(under_review, department, expert, bureau, who):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    with pytest.raises(experts.ReviewRefused):
        experts.withdraw_assignment(review, {"expert": expert, "bureau": bureau}[who], "理由")
    with pytest.raises(experts.ReviewRefused, match="请填写撤回分配的理由"):
        experts.withdraw_assignment(review, department, " ")
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.ASSIGNED


def test_a_submitted_score_cannot_be_withdrawn(under_review, department, expert):
    experts.assign(under_review, department, [an_expert("150300", name="另一专家")])
    row = declare_and_submit(under_review, expert)
    with pytest.raises(experts.ReviewRefused, match="不能撤回分配"):
        experts.withdraw_assignment(row, department, "理由")


def test_the_scores_page_withdraws_a_task_by_post_for_the_region_only(under_review, department, expert, bureau, client):
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    url = f"/reviews/{under_review.pk}/experts/{review.pk}/withdraw/"
    client.force_login(bureau)
    assert client.post(url, {"reason": "越权"}).status_code in (403, 404)
    client.force_login(department)
    assert "撤回分配" in client.get(f"/reviews/{under_review.pk}/scores/").content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "逾期未评审"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ExpertReview.Status.REMOVED

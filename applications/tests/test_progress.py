"""The stage tracker (applications/progress.py) through every state the workflow has: which stage is current,
what each reached stage is dated, who holds the application, what happens next, and the decision headline.

The workflow has no 不予推荐: a 盟市 that does not recommend returns the application (退回修改), which is
tested here as a return by the 盟市."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from applications import submission
from applications.models import Application, Status
from applications.progress import (
    BUREAU,
    DECISION,
    ESTABLISHED,
    EXPERTS,
    FILL,
    PUBLICITY,
    REGION,
    STAGES,
    SUBMIT,
    progress_of,
)
from applications.workflow import ActionCode
from reviews import decisions, initial_review, objections
from reviews.tests.test_region_views import score
from tests import factories

BAOTOU_BUREAU = "包头市工业和信息化局"
LABELS = ["填报", "提交", "盟市审核推荐", "自治区审核", "专家评审", "审定", "公示", "立项"]


def states(progress):
    return [stage.state for stage in progress.stages]


def dated(progress):
    """The labels of the stages that show a date."""
    return [stage.label for stage in progress.stages if stage.at]


def transition_at(app, code):
    return app.transitions.filter(action=code).latest("at", "pk").at


@pytest.fixture
def publicising(under_review, expert, department):
    score(under_review, expert, 80)
    today = timezone.localdate()
    decisions.support(under_review, department, "800.00", today, today + timedelta(days=6))
    under_review.refresh_from_db()
    return under_review


def test_the_stages_are_the_workflow_from_filling_in_to_establishment():
    assert [stage.label for stage in STAGES] == LABELS


def test_a_draft_is_being_filled_in_by_its_applicant_until_the_call_closes(draft):
    progress = progress_of(draft)

    assert progress.current == FILL
    assert states(progress) == ["current"] + ["upcoming"] * 7
    assert dated(progress) == ["填报"]
    assert progress.holder == f"{draft.organisation.name} 填报中"
    assert (progress.deadline_label, progress.deadline) == ("申报截止", draft.call.applicant_closes_at)
    assert progress.headline is None


def test_a_draft_after_the_deadline_is_told_it_can_no_longer_be_submitted(draft):
    progress = progress_of(draft, now=draft.call.applicant_closes_at + timedelta(seconds=1))

    assert progress.next_step == "当前不在申报时间内，草稿不能提交。"
    assert progress.deadline is None and progress.deadline_label == ""


def test_a_submitted_application_is_with_its_bureau_and_dated_submitted(media, call):
    app = factories.submitted_application("150200")
    progress = progress_of(app)

    assert progress.current == BUREAU
    assert states(progress) == ["done", "done", "current"] + ["upcoming"] * 5
    assert progress.stages[SUBMIT].at == transition_at(app, ActionCode.SUBMIT)
    assert progress.stages[BUREAU].at == transition_at(app, ActionCode.SUBMIT)  # reached when submitted
    assert progress.holder == f"{BAOTOU_BUREAU} 审核中"
    assert progress.deadline_label == "盟市推荐截止"
    assert progress.waiting_since == transition_at(app, ActionCode.SUBMIT)


def test_a_withdrawn_application_is_a_draft_again_and_not_shown_as_submitted(media, call):
    app = factories.submitted_application("150200")
    submission.withdraw(app, app.created_by)
    app.refresh_from_db()

    progress = progress_of(app)

    assert progress.current == FILL
    assert progress.stages[SUBMIT].is_reached is False


def test_a_return_by_the_bureau_shows_at_the_bureau_stage_with_the_applicant_holding_it(media, call, bureau):
    app = factories.submitted_application("150200")
    initial_review.return_for_revision(app, bureau, "请核实产值。")
    app.refresh_from_db()

    progress = progress_of(app)

    assert progress.current == BUREAU
    assert progress.current_stage.is_returned
    assert progress.current_stage.note == "退回修改"
    assert progress.current_stage.at == transition_at(app, ActionCode.BUREAU_RETURN)
    assert progress.holder == f"{app.organisation.name} 修改中"
    assert progress.deadline_label == "重新提交截止"
    assert states(progress)[REGION:] == ["upcoming"] * 5


def test_a_return_by_the_region_shows_at_the_region_stage(recommended, department):
    decisions.return_for_revision(recommended, department, "材料不全。")
    recommended.refresh_from_db()

    progress = progress_of(recommended)

    assert progress.current == REGION
    assert states(progress)[: REGION + 1] == ["done", "done", "done", "returned"]
    assert progress.holder == f"{recommended.organisation.name} 修改中"


def test_a_resubmission_after_a_return_is_with_the_bureau_again(media, call):
    app = factories.resubmit(factories.submitted_application("150200"), {})

    progress = progress_of(app)

    assert progress.current == BUREAU and progress.current_stage.is_reached
    assert not progress.current_stage.is_returned
    assert progress.stages[SUBMIT].at == transition_at(app, ActionCode.RESUBMIT)


def test_a_recommended_application_waits_for_the_region_and_is_dated_recommended(recommended):
    recommended.call.acceptance_deadline = timezone.now() + timedelta(days=20)
    recommended.call.save()
    progress = progress_of(recommended)

    assert progress.current == REGION
    assert states(progress) == ["done"] * 3 + ["current"] + ["upcoming"] * 4
    assert progress.stages[BUREAU].at == transition_at(recommended, ActionCode.RECOMMEND)
    assert progress.holder == "自治区工业和信息化厅 受理审查中"
    assert (progress.deadline_label, progress.deadline) == ("自治区受理截止", recommended.call.acceptance_deadline)


def test_under_expert_review_the_experts_hold_it(under_review):
    progress = progress_of(under_review)

    assert progress.current == EXPERTS
    assert progress.stages[REGION].at == transition_at(under_review, ActionCode.ACCEPT)
    assert progress.holder == "评审专家 评审中"
    assert progress.deadline is None


def test_once_scored_the_region_decides(under_review, expert):
    score(under_review, expert, 80)
    under_review.refresh_from_db()

    progress = progress_of(under_review)

    assert progress.current == DECISION
    assert progress.stages[EXPERTS].at == transition_at(under_review, ActionCode.SCORING_DONE)
    assert progress.holder == "自治区工业和信息化厅 审定中"
    assert progress.headline is None


def test_in_publicity_the_headline_has_the_amount_and_the_period(publicising):
    today = timezone.localdate()
    progress = progress_of(publicising)

    assert progress.current == PUBLICITY
    assert states(progress) == ["done"] * 6 + ["current", "upcoming"]
    assert progress.stages[DECISION].note == "拟支持"
    assert (progress.current_stage.at, progress.current_stage.until) == (today, today + timedelta(days=6))
    assert progress.waiting_since is None  # a 公示 start date is not a moment anyone has waited since
    headline = progress.headline
    assert (headline.title, headline.supported, headline.amount) == ("拟支持，公示中", True, Decimal("800.00"))
    assert (headline.publicity_starts, headline.publicity_ends) == (today, today + timedelta(days=6))
    assert headline.established_at is None


def test_established_the_last_stage_is_done_and_the_headline_says_so(publicising, department):
    after = timezone.now() + timedelta(days=8)
    decisions.establish(publicising, department, now=after)
    publicising.refresh_from_db()

    progress = progress_of(publicising)

    assert progress.current == ESTABLISHED
    assert states(progress) == ["done"] * 8
    assert progress.stages[ESTABLISHED].at == after
    assert progress.is_finished and progress.holder == ""
    assert progress.headline.title == "已立项" and progress.headline.established_at == after
    assert progress.headline.amount == Decimal("800.00")


def test_not_supported_ends_at_the_decision_and_the_rest_never_happens(under_review, expert, department):
    score(under_review, expert, 60)
    decisions.reject(under_review, department, "产业规模不足。")
    under_review.refresh_from_db()

    progress = progress_of(under_review)

    assert progress.current == DECISION
    assert states(progress) == ["done"] * 5 + ["ended", "not_reached", "not_reached"]
    assert progress.current_stage.note == "不予支持"
    assert progress.current_stage.at == transition_at(under_review, ActionCode.REJECT)
    assert progress.is_finished
    assert (progress.headline.title, progress.headline.supported) == ("未获支持", False)


def test_an_objection_upheld_during_publicity_ends_it_at_the_publicity_stage(publicising, department):
    objection = objections.submit(
        publicising, name="王建国", organisation="个人", phone="13904721234", content="申报产值不实。"
    )
    objections.answer(objection, department, "upheld", "经核实成立。")
    decisions.revoke(publicising, department, "异议成立。")
    publicising.refresh_from_db()

    progress = progress_of(publicising)

    assert progress.current == PUBLICITY
    assert states(progress)[DECISION:] == ["done", "ended", "not_reached"]
    assert progress.current_stage.note == "异议成立，不予支持"
    assert progress.headline.supported is False


@pytest.mark.parametrize("status", Status)
def test_every_state_has_a_current_stage_even_without_its_history(draft, status):
    """A record moved by hand (no Transitions, no Decision) still shows where it is, without dates."""
    Application.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()

    progress = progress_of(draft)

    assert 0 <= progress.current < len(STAGES)
    assert progress.next_step

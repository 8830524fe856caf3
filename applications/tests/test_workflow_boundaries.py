"""The workflow's own entry points at their edges: the moment a question is asked about, the buttons a
page offers, and `take`, which locks, checks and records in one step.

Each test stands where changing one argument or comparison in applications/workflow.py would change
what a person may do (`make mutation`, docs/testing.md). The whole table is in reviews/tests/test_workflow.py.
"""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from applications import workflow
from applications.models import Status, Transition
from audit.models import AuditEntry
from calls.deadlines import format_time
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(media, call):
    return factories.submitted_application("150200")


def test_whether_an_action_is_allowed_is_judged_at_the_moment_asked_about(submitted):
    applicant = submitted.created_by
    after_the_deadline = submitted.call.applicant_closes_at + timedelta(seconds=1)
    assert workflow.allowed(applicant, submitted, "withdraw")
    assert not workflow.allowed(applicant, submitted, "withdraw", now=after_the_deadline)


def test_the_actions_offered_are_those_allowed_at_the_moment_asked_about(submitted):
    applicant = submitted.created_by
    after_the_deadline = submitted.call.applicant_closes_at + timedelta(seconds=1)
    assert [a.code for a in workflow.actions_for(applicant, submitted)] == ["withdraw"]
    assert workflow.actions_for(applicant, submitted, now=after_the_deadline) == []


def test_an_assigned_expert_is_never_offered_the_platforms_own_scoring_done(submitted):
    department = factories.user(Role.DEPARTMENT)
    expert = factories.user(Role.EXPERT, region_code="150100")
    ExpertReview.objects.create(
        application=submitted, version=submitted.latest_version, expert=expert, assigned_by=department
    )
    submitted.status = Status.UNDER_REVIEW
    assert workflow.allowed(expert, submitted, "scoring_done")
    assert workflow.actions_for(expert, submitted) == []


def test_take_records_the_reason_given_at_the_moment_given(submitted):
    bureau = factories.user(Role.BUREAU, region_code="150200")
    moment = timezone.now() - timedelta(minutes=5)
    transition = workflow.take(submitted, "bureau_return", bureau, reason=" 请补充2023年研发投入说明 ", now=moment)
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert (transition.application, transition.action, transition.actor) == (submitted, "bureau_return", bureau)
    assert (transition.reason, transition.at) == ("请补充2023年研发投入说明", moment)
    assert Transition.objects.filter(application=submitted, action="bureau_return").count() == 1


def test_take_without_a_reason_records_none(submitted):
    transition = workflow.take(submitted, "withdraw", submitted.created_by)
    assert transition.reason == ""


def test_a_submission_before_the_call_opens_is_refused_as_out_of_time(draft):
    before_opening = draft.call.applicant_opens_at - timedelta(seconds=1)
    assert workflow.refusal(draft.created_by, draft, "submit", now=before_opening) == "当前不在申报时间内，不能提交。"


def test_a_submission_after_the_deadline_names_the_deadline(draft):
    closes = draft.call.applicant_closes_at
    assert workflow.refusal(draft.created_by, draft, "submit", now=closes + timedelta(seconds=1)) == (
        f"提交截止时间为 {format_time(closes)}（以服务器时间为准），已经截止，不能提交。"
    )


def test_a_withdrawal_after_the_deadline_names_the_deadline(submitted):
    closes = submitted.call.applicant_closes_at
    assert workflow.refusal(submitted.created_by, submitted, "withdraw", now=closes + timedelta(seconds=1)) == (
        f"提交已于 {format_time(closes)} 截止，不能撤回。"
    )


def test_an_action_for_a_role_the_table_never_names_is_in_no_ones_scope(submitted):
    # The table gives every action to an applicant, a 盟市工信局, the 自治区 or an expert; anything else fails closed.
    action = dataclasses.replace(workflow.ACTIONS[workflow.ActionCode.ESTABLISH], role=Role.AUDIT_ADMIN)
    assert not workflow.in_scope(factories.user(Role.AUDIT_ADMIN), submitted, action)


def test_each_move_is_written_to_the_audit_log_with_what_changed(submitted):
    bureau = factories.user(Role.BUREAU, region_code="150200")
    transition = workflow.take(submitted, "bureau_return", bureau, reason="请补充")
    entry = AuditEntry.objects.filter(action="transition").latest("seq")
    assert (entry.user, entry.object_type, entry.object_id) == (bureau, "application", str(submitted.pk))
    assert entry.detail == {
        "transition": transition.pk,
        "code": "bureau_return",
        "from": "submitted",
        "to": "returned",
        "reason_chars": 3,  # the reason stays on the Transition; the 审计管理员 reads no content
        "version": 1,
    }


def test_a_refused_move_raises_the_refusal_as_said(submitted):
    stranger = factories.user(Role.BUREAU, region_code="150500")
    with pytest.raises(workflow.WorkflowRefused, match=re.escape("这份申报不在您的办理范围内，不能退回修改。")):
        workflow.take(submitted, "bureau_return", stranger, reason="理由")


def test_the_locked_row_comes_with_everything_the_checks_read(submitted, django_assert_num_queries):
    with django_assert_num_queries(1):
        row = workflow.locked(submitted)
        assert (row.call.pk, row.organisation.pk, row.lead_region.pk) == (
            submitted.call_id,
            submitted.organisation_id,
            submitted.lead_region_id,
        )


def test_a_recommendation_after_the_regions_deadline_names_it_and_who_may_extend_it(submitted):
    deadline = submitted.call.recommend_deadline
    bureau = factories.user(Role.BUREAU, region_code="150200")
    assert workflow.refusal(bureau, submitted, "recommend", now=deadline + timedelta(seconds=1)) == (
        f"本盟市推荐截止时间 {format_time(deadline)} 已过，不能再推荐；"
        "如确需办理，请联系自治区工业和信息化厅延长截止时间。"
    )


def test_only_acceptance_and_its_return_close_at_the_acceptance_deadline(submitted):
    call = submitted.call
    call.acceptance_deadline = timezone.now() - timedelta(hours=1)
    call.save()
    department = factories.user(Role.DEPARTMENT)
    submitted.status = Status.RECOMMENDED
    just_before = call.acceptance_deadline - timedelta(seconds=1)
    assert workflow.refusal(department, submitted, "accept", now=just_before) is None
    assert workflow.refusal(department, submitted, "accept") == (
        f"自治区受理截止时间 {format_time(call.acceptance_deadline)} 已过，请先调整批次时间安排。"
    )
    submitted.status = Status.AWAITING_DECISION
    assert workflow.refusal(department, submitted, "support") is None


def test_establishing_without_a_publicity_period_is_refused(submitted):
    submitted.status = Status.PUBLICISING
    assert workflow.refusal(factories.user(Role.DEPARTMENT), submitted, "establish") == "尚未确定公示期，不能立项。"

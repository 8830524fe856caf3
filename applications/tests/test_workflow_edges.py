"""The workflow's remaining edges: the last day of 公示, a move that needs a reason, and where 撤回 goes back to.

Each test stands where changing one comparison or condition in applications/workflow.py would change
what a person may do or where an application ends up. The whole table is in reviews/tests/test_workflow.py.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Role
from applications import workflow
from applications.models import Status, Transition
from reviews.models import Decision
from tests import factories

pytestmark = pytest.mark.django_db

PUBLICITY_ENDS = datetime.date(2024, 9, 10)


@pytest.fixture
def submitted(media, call):
    return factories.submitted_application("150200")


@pytest.fixture
def publicising(submitted):
    department = factories.user(Role.DEPARTMENT)
    Decision.objects.create(
        application=submitted,
        version=submitted.latest_version,
        outcome=Decision.Outcome.SUPPORT,
        amount=500,
        publicity_starts=datetime.date(2024, 9, 3),
        publicity_ends=PUBLICITY_ENDS,
        decided_by=department,
    )
    submitted.status = Status.PUBLICISING
    submitted.save(update_fields=["status"])
    submitted.refresh_from_db()
    return submitted, department


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_establishing_on_the_last_day_of_publicity_is_refused_naming_that_day(publicising):
    application, department = publicising
    last_minute = local(2024, 9, 10, 23, 59, 59)
    assert workflow.refusal(department, application, "establish", now=last_minute) == (
        "公示期至 2024年09月10日 结束，期满后才能立项。"
    )


def test_establishing_from_the_first_moment_after_publicity_is_allowed(publicising):
    application, department = publicising
    assert workflow.refusal(department, application, "establish", now=local(2024, 9, 11, 0, 0, 0)) is None


def test_a_decision_without_a_publicity_end_cannot_be_established(publicising):
    application, department = publicising
    Decision.objects.filter(application=application).update(outcome=Decision.Outcome.REJECT, publicity_ends=None)
    application.refresh_from_db()
    assert workflow.refusal(department, application, "establish") == "尚未确定公示期，不能立项。"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_return_without_a_reason_is_refused_and_nothing_is_recorded(submitted, reason):
    bureau = factories.user(Role.BUREAU, region_code="150200")
    with pytest.raises(workflow.WorkflowRefused, match=f"^{re.escape('退回修改须填写意见或理由。')}$"):
        workflow.take(submitted, "bureau_return", bureau, reason=reason)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not Transition.objects.filter(application=submitted, action="bureau_return").exists()


def test_a_submission_may_be_withdrawn_without_a_reason_because_withdrawal_needs_none(submitted):
    transition = workflow.take(submitted, "withdraw", submitted.created_by, reason="")
    assert (transition.from_status, transition.to_status) == (Status.SUBMITTED, Status.DRAFT)


def test_withdrawing_a_first_submission_goes_back_to_draft(submitted):
    workflow.take(submitted, "withdraw", submitted.created_by)
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT


def test_withdrawing_an_answer_to_a_return_goes_back_to_returned_not_draft(submitted):
    answered = factories.resubmit(submitted, {})
    assert answered.status == Status.SUBMITTED
    transition = workflow.take(answered, "withdraw", answered.created_by)
    answered.refresh_from_db()
    assert answered.status == Status.RETURNED
    assert (transition.action, transition.from_status, transition.to_status) == (
        "withdraw",
        Status.SUBMITTED,
        Status.RETURNED,
    )

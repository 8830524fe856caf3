"""applications/deadlines.py: which stage's deadline binds an application, a draft or one sent back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from applications import deadlines
from applications.models import Status, Transition
from applications.workflow import ACTIONS, ActionCode
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_draft_is_edited_until_the_applicant_window_closes(draft):
    assert deadlines.edit_deadline(draft) == draft.call.applicant_closes_at
    assert deadlines.open_for_applicant(draft)
    assert not deadlines.open_for_applicant(draft, draft.call.applicant_closes_at)


def test_a_returned_application_is_edited_until_the_deadline_of_the_stage_that_returned_it(draft):
    call = draft.call
    call.acceptance_deadline = call.recommend_deadline + timedelta(days=5)
    call.save()
    draft.status = Status.RETURNED
    draft.save()
    bureau = factories.user(Role.BUREAU, region_code="150200")
    Transition.objects.create(
        application=draft,
        from_status="submitted",
        to_status="returned",
        action="bureau_return",
        actor=bureau,
        actor_role="bureau",
    )
    assert deadlines.edit_deadline(draft) == call.recommend_deadline
    department = factories.user(Role.DEPARTMENT)
    Transition.objects.create(
        application=draft,
        from_status="recommended",
        to_status="returned",
        action="region_return",
        actor=department,
        actor_role="department",
        at=timezone.now() + timedelta(seconds=1),
    )
    assert deadlines.edit_deadline(draft) == call.acceptance_deadline
    assert deadlines.open_for_applicant(draft, call.applicant_closes_at + timedelta(days=1))


def test_a_return_by_the_department_is_always_the_region_return():
    """deadlines.py tells a 自治区 return from a 盟市 one by who made it (actor role and target state), so
    that must name one action: a new department move back to 退回修改 would need its own deadline rule."""
    moves_back = [a.code for a in ACTIONS.values() if a.role == Role.DEPARTMENT and a.target == Status.RETURNED]
    assert moves_back == [ActionCode.REGION_RETURN]

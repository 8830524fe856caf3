"""The deadline that binds one application now, from its call's timetable (calls/deadlines.py) and its history.

The applicant edits and submits until the applicant window closes; after a return it has until the
deadline of the stage that returned it (the 盟市's recommendation deadline, or the region's
acceptance deadline). Returns are read from the application's Transitions by who made them and
where they led, not by action code: only the 自治区 returns as the department.
"""

from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from calls.deadlines import passed, recommend_deadline


def returned_by_region(application) -> bool:
    """Whether the application's latest return came from the 自治区 (rather than its 盟市)."""
    last = application.transitions.filter(to_status=Status.RETURNED).order_by("-at", "-pk").first()
    return bool(last and last.actor_role == Role.DEPARTMENT)


def answering_return(application) -> bool:
    """Whether the submission now waiting for the 盟市 answers a return (so 撤回 goes back to 退回修改)."""
    last = application.transitions.filter(to_status=Status.SUBMITTED).order_by("-at", "-pk").first()
    return bool(last and last.from_status == Status.RETURNED)


def bureau_deadline(application):
    """Until when the lead 盟市 may 退回 or 推荐 this application.

    Its recommendation deadline (or extension); once the 自治区 has sent the application back, the
    盟市 handles the answer until the acceptance deadline, as its own has usually passed by then.
    """
    deadline = recommend_deadline(application.call, application.lead_region)
    if application.transitions.filter(to_status=Status.RETURNED, actor_role=Role.DEPARTMENT).exists():
        later = [d for d in (deadline, application.call.acceptance_deadline) if d]
        return max(later) if later else None
    return deadline


def _answer_deadline(application):
    """Until when a return may be answered: the deadline of the stage that returned it."""
    if returned_by_region(application):
        return application.call.acceptance_deadline
    return bureau_deadline(application)


def edit_deadline(application):
    """Until when the applicant may change and (re)submit this application."""
    if application.status == Status.RETURNED:
        return _answer_deadline(application)
    return application.call.applicant_closes_at


def withdraw_deadline(application):
    """Until when a submission may be withdrawn: as long as the record it goes back to may be edited."""
    if answering_return(application):
        return _answer_deadline(application)
    return application.call.applicant_closes_at


def open_for_applicant(application, now=None) -> bool:
    """The call is published and has opened, and the applicant's deadline for this record has not passed."""
    call = application.call
    now = now or timezone.now()
    if not call.is_published or not call.applicant_opens_at or now < call.applicant_opens_at:
        return False
    deadline = edit_deadline(application)
    if application.status != Status.RETURNED and deadline is None:
        return False
    return not passed(deadline, now)

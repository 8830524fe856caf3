"""Every stage's deadline, read from the call (and a 盟市's extension); server time decides.

The applicant edits and submits until the applicant window closes; after a return it has until the
deadline of the stage that returned it (the 盟市's recommendation deadline, or the region's
acceptance deadline). The 盟市 recommends until its deadline, the experts score until theirs.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


def format_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def recommend_deadline(call, region):
    """When this 盟市 must have recommended: the call's deadline, or later if the 自治区 extended it."""
    extension = call.extensions.filter(region=region).first() if region is not None else None
    deadlines = [d for d in (call.recommend_deadline, extension and extension.recommend_until) if d]
    return max(deadlines) if deadlines else None


def passed(deadline, now=None) -> bool:
    """A stage with no deadline set never closes; one with a deadline closes at that second."""
    return deadline is not None and (now or timezone.now()) >= deadline


def returned_by_region(application) -> bool:
    """Whether the application's latest return came from the 自治区 (rather than its 盟市)."""
    from accounts.models import Role
    from applications.models import Status

    last = application.transitions.filter(to_status=Status.RETURNED).order_by("-at", "-pk").first()
    return bool(last and last.actor_role == Role.DEPARTMENT)


def answering_return(application) -> bool:
    """Whether the submission now waiting for the 盟市 answers a return (so 撤回 goes back to 退回修改)."""
    from applications.models import Status

    last = application.transitions.filter(to_status=Status.SUBMITTED).order_by("-at", "-pk").first()
    return bool(last and last.from_status == Status.RETURNED)


def bureau_deadline(application):
    """Until when the lead 盟市 may 退回 or 推荐 this application.

    Its recommendation deadline (or extension); once the 自治区 has sent the application back, the
    盟市 handles the answer until the acceptance deadline, as its own has usually passed by then.
    """
    from accounts.models import Role

    deadline = recommend_deadline(application.call, application.lead_region)
    if application.transitions.filter(actor_role=Role.DEPARTMENT, action="region_return").exists():
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
    from applications.models import Status

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
    from applications.models import Status

    call = application.call
    now = now or timezone.now()
    if not call.is_published or not call.applicant_opens_at or now < call.applicant_opens_at:
        return False
    deadline = edit_deadline(application)
    if application.status != Status.RETURNED and deadline is None:
        return False
    return not passed(deadline, now)


@dataclass(frozen=True)
class Stage:
    label: str
    deadline: datetime | None

    def is_over(self, now=None):
        return passed(self.deadline, now)


def stages(call, region=None):
    """The call's timetable as people read it: each stage and its deadline (a 盟市's own, if given)."""
    return [
        Stage("申报单位提交", call.applicant_closes_at),
        Stage("盟市推荐", recommend_deadline(call, region) if region else call.recommend_deadline),
        Stage("自治区受理", call.acceptance_deadline),
        Stage("专家评审", call.scoring_deadline),
    ]

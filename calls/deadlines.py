"""A call's timetable: every stage's deadline, read from the call (and a 盟市's extension); server time decides.

The 盟市 recommends until its deadline, the experts score until theirs. Which of these binds one
application (after a return, say) is the application's question: applications/deadlines.py.
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

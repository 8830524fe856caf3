"""The call's timetable as the 自治区 keeps it: the stage deadlines after the applicant window, and time left.

The stages follow one another: the 盟市 recommend after the applicants have submitted, the 自治区
accepts what was recommended, then the experts score. A timetable out of that order would close a
later stage before an earlier one, so it is refused.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from accounts import scoping
from applications.workflow import WorkflowRefused
from calls import deadlines
from calls.models import Call
from reviews import notices

logger = logging.getLogger(__name__)

# Stage deadlines the 自治区 sets here, in order; the applicant window itself is set with the call.
STAGE_FIELDS = ("recommend_deadline", "acceptance_deadline", "scoring_deadline")


def set_stage_deadlines(call, user, recommend, acceptance, scoring):
    """盟市推荐, 自治区受理 and 专家评审 deadlines, in order after the applicant deadline."""
    if not scoping.may_extend_deadlines(user):
        raise WorkflowRefused("只有自治区工业和信息化厅可以调整批次时间安排。")
    chosen = dict(zip(STAGE_FIELDS, (recommend, acceptance, scoring), strict=True))
    for name, value in chosen.items():
        if value is None:
            raise WorkflowRefused(f"请填写{_label(name)}。")
    order = [("applicant_closes_at", call.applicant_closes_at), *chosen.items()]
    for (earlier_name, earlier), (later_name, later) in pairwise(order):
        if earlier is not None and later < earlier:
            raise WorkflowRefused(
                f"{_label(later_name)}（{deadlines.format_time(later)}）不能早于"
                f"{_label(earlier_name)}（{deadlines.format_time(earlier)}）。"
            )
    with transaction.atomic():
        row = Call.objects.select_for_update().get(pk=call.pk)
        changed = {name: value for name, value in chosen.items() if getattr(row, name) != value}
        for name, value in changed.items():
            setattr(row, name, value)
        row.save(update_fields=list(STAGE_FIELDS))
        logger.info("call %s timetable changed by user %s: %s", row.code, user.pk, sorted(changed))
        notices.timetable_changed(row, {_label(name): value for name, value in changed.items()})
    return row


def _label(name):
    return Call._meta.get_field(name).verbose_name  # type: ignore[union-attr]  # a date field of Call, not a relation


def remaining(deadline, now=None):
    """Time left before `deadline` as people say it (还剩 3 天 4 小时), 已截止, or 未设置."""
    if deadline is None:
        return "未设置"
    now = now or timezone.now()
    if deadlines.passed(deadline, now):
        return "已截止"
    minutes = int((deadline - now).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"还剩 {days} 天 {hours} 小时"
    if hours:
        return f"还剩 {hours} 小时 {minutes} 分钟"
    return f"还剩 {max(minutes, 1)} 分钟"


@dataclass(frozen=True)
class StageRow:
    label: str
    deadline: datetime | None
    remaining: str
    is_over: bool


def timetable(call, now=None):
    """Each stage of the call with its deadline and the time left, for the schedule page."""
    return [StageRow(s.label, s.deadline, remaining(s.deadline, now), s.is_over(now)) for s in deadlines.stages(call)]

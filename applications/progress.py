"""Where an application stands (流程进度): its stages from 填报 to 立项, each with its date once reached, the
current one with who holds it and what happens next, and — once decided — the decision as a headline.

Computed from the workflow table (applications/workflow.py: which actions finish a stage, which send it
back or end it) and the application's Transitions, never from a template comparing states. The 自治区's
decision (amount, 公示 period) is reviews.Decision, read through the reverse relation as the workflow reads
it: this app sits below reviews and never imports it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.utils import timezone

from applications import deadlines
from applications.models import Status
from applications.workflow import ActionCode

DEPARTMENT = "自治区工业和信息化厅"


class StageState(StrEnum):
    """How a stage stands; templates ask the Stage's properties, never these words."""

    DONE = "done"
    CURRENT = "current"
    RETURNED = "returned"  # sent back to the applicant from this stage
    ENDED = "ended"  # the application ended here: 不予支持
    UPCOMING = "upcoming"
    NOT_REACHED = "not_reached"  # after an end: will never happen


@dataclass(frozen=True)
class StageDefinition:
    label: str
    # The statuses in which the application sits at this stage.
    statuses: tuple
    # The actions that finish it, send it back to the applicant, and end the application at it.
    finished_by: tuple = ()
    returned_by: tuple = ()
    ended_by: tuple = ()


STAGES = (
    StageDefinition("填报", (Status.DRAFT,), finished_by=(ActionCode.SUBMIT,)),
    # 提交 is a moment, not a state: it is passed when the first version is submitted.
    StageDefinition("提交", (), finished_by=(ActionCode.SUBMIT, ActionCode.RESUBMIT)),
    StageDefinition(
        "盟市审核推荐",
        (Status.SUBMITTED,),
        finished_by=(ActionCode.RECOMMEND,),
        returned_by=(ActionCode.BUREAU_RETURN,),
    ),
    StageDefinition(
        "自治区审核", (Status.RECOMMENDED,), finished_by=(ActionCode.ACCEPT,), returned_by=(ActionCode.REGION_RETURN,)
    ),
    StageDefinition("专家评审", (Status.UNDER_REVIEW,), finished_by=(ActionCode.SCORING_DONE,)),
    StageDefinition(
        "审定", (Status.AWAITING_DECISION,), finished_by=(ActionCode.SUPPORT,), ended_by=(ActionCode.REJECT,)
    ),
    StageDefinition("公示", (Status.PUBLICISING,), finished_by=(ActionCode.ESTABLISH,), ended_by=(ActionCode.REVOKE,)),
    StageDefinition("立项", (Status.APPROVED,)),
)
FILL, SUBMIT, BUREAU, REGION, EXPERTS, DECISION, PUBLICITY, ESTABLISHED = range(len(STAGES))


@dataclass(frozen=True)
class Stage:
    label: str
    state: str
    at: datetime | date | None = None  # when it was reached, finished, returned or ended
    until: date | None = None  # the end of a period (公示)
    note: str = ""  # 拟支持、退回修改、不予支持…

    @property
    def is_done(self):
        return self.state == StageState.DONE

    @property
    def is_returned(self):
        return self.state == StageState.RETURNED

    @property
    def is_ended(self):
        return self.state == StageState.ENDED

    @property
    def is_reached(self):
        """Done, or where the application is now: it has a date to show."""
        return self.state not in (StageState.UPCOMING, StageState.NOT_REACHED)

    @property
    def will_not_happen(self):
        return self.state == StageState.NOT_REACHED


@dataclass(frozen=True)
class Headline:
    """The decision, as the applicant reads it first: 拟支持 (公示中), 已立项, or 未获支持."""

    title: str
    supported: bool
    amount: object = None  # Decimal, 万元
    publicity_starts: date | None = None
    publicity_ends: date | None = None
    established_at: datetime | None = None


@dataclass(frozen=True)
class Progress:
    stages: tuple
    current: int  # index into stages: where the application is now (aria-current="step")
    holder: str  # who has it now: "包头市工业和信息化局 审核中"; empty once 办结
    next_step: str  # one sentence: what happens next
    deadline_label: str = ""
    deadline: datetime | None = None  # the deadline of the next step, if any
    headline: Headline | None = None

    @property
    def current_stage(self):
        return self.stages[self.current]

    @property
    def waiting_since(self):
        """When the current holder received the application (a moment, not a 公示 start date), or None."""
        at = self.current_stage.at
        return at if isinstance(at, datetime) and not self.is_finished else None

    @property
    def is_finished(self):
        """办结: nothing more happens (已立项 or 未通过)."""
        return not self.holder


def _latest(transitions, codes):
    found = [t for t in transitions if t.action in codes]
    return found[-1] if found else None


def _decision(application):
    # The reverse one-to-one (reviews.Decision): read, never imported (see the module's docstring).
    return getattr(application, "decision", None)


def _current(application, transitions):
    """The index of the stage the application is at now."""
    if application.is_returned:
        last_return = _latest(transitions, (ActionCode.BUREAU_RETURN, ActionCode.REGION_RETURN))
        by_region = last_return is not None and last_return.action == ActionCode.REGION_RETURN
        return REGION if by_region else BUREAU
    if application.is_not_supported:
        return PUBLICITY if _latest(transitions, (ActionCode.REVOKE,)) else DECISION
    return next(i for i, stage in enumerate(STAGES) if application.status in stage.statuses)


def _stage(index, definition, current, application, transitions, decision):
    reached_at = _reached_at(index, application, transitions, decision)
    until = decision.publicity_ends if index == PUBLICITY and decision and decision.supports else None
    if index < current:
        finished = _latest(transitions, definition.finished_by)
        if index == FILL:
            at = application.created_at
        elif index == PUBLICITY:
            at = reached_at
        else:
            at = finished.at if finished else None
        note = "拟支持" if index == DECISION else ""
        return Stage(definition.label, StageState.DONE, at, until, note)
    if index > current:
        closed = application.is_not_supported
        return Stage(definition.label, StageState.NOT_REACHED if closed else StageState.UPCOMING)
    if application.is_returned:
        returned = _latest(transitions, definition.returned_by)
        return Stage(definition.label, StageState.RETURNED, returned.at if returned else None, note="退回修改")
    if application.is_not_supported:
        ended = _latest(transitions, definition.ended_by)
        note = "异议成立，不予支持" if index == PUBLICITY else "不予支持"
        return Stage(definition.label, StageState.ENDED, ended.at if ended else None, until, note)
    if application.is_approved:
        return Stage(definition.label, StageState.DONE, reached_at)
    return Stage(definition.label, StageState.CURRENT, reached_at, until)


def _reached_at(index, application, transitions, decision):
    """When the application arrived at this stage: the last move into one of its statuses."""
    if index == FILL:
        return application.created_at
    if index == PUBLICITY and decision and decision.supports:
        return decision.publicity_starts
    if index == ESTABLISHED and decision and decision.closed_at:
        return decision.closed_at
    statuses = STAGES[index].statuses
    arrived = [t for t in transitions if t.to_status in statuses]
    return arrived[-1].at if arrived else None


def _headline(application, decision):
    if not application.is_closed and not application.is_publicising:
        return None
    if application.is_not_supported:
        return Headline("未获支持", supported=False)
    if decision is None:
        return Headline("已立项" if application.is_approved else "拟支持，公示中", supported=True)
    return Headline(
        "已立项" if application.is_approved else "拟支持，公示中",
        supported=True,
        amount=decision.amount,
        publicity_starts=decision.publicity_starts,
        publicity_ends=decision.publicity_ends,
        established_at=decision.closed_at if application.is_approved else None,
    )


def _holder_and_next(application, now):
    """Who has the application now, what happens next, and the deadline of that next step."""
    bureau = application.lead_region.bureau_name
    organisation = application.organisation.name
    call = application.call
    if application.is_draft:
        if deadlines.open_for_applicant(application, now):
            return (
                f"{organisation} 填报中",
                f"填写完整、通过提交前检查后提交；提交后由{bureau}初审。",
                "申报截止",
                call.applicant_closes_at,
            )
        return f"{organisation} 填报中", "当前不在申报时间内，草稿不能提交。", "", None
    if application.awaits_bureau:
        return (
            f"{bureau} 审核中",
            f"{bureau}初审并实地核实后，推荐至{DEPARTMENT}，或退回申报单位修改。",
            "盟市推荐截止",
            deadlines.bureau_deadline(application),
        )
    if application.is_returned:
        return (
            f"{organisation} 修改中",
            f"申报单位根据退回意见修改后重新提交，再由{bureau}审核。",
            "重新提交截止",
            deadlines.edit_deadline(application),
        )
    if application.awaits_acceptance:
        return (
            f"{DEPARTMENT} 受理审查中",
            f"{DEPARTMENT}形式审查后受理并组织专家评审，或退回修改。",
            "自治区受理截止",
            call.acceptance_deadline,
        )
    if application.in_expert_review:
        return "评审专家 评审中", f"专家全部评分后，由{DEPARTMENT}研究决定。", "", None
    if application.awaits_decision:
        return (
            f"{DEPARTMENT} 审定中",
            f"{DEPARTMENT}作出拟支持（确定奖补金额并公示）或不予支持的决定。",
            "",
            None,
        )
    if application.is_publicising:
        return (
            f"{DEPARTMENT} 公示中",
            "公示期满无异议（或异议经核实不成立）后立项；异议经核实成立的，不予支持。",
            "",
            None,
        )
    if application.is_approved:
        return "", "已立项，流程办结。奖补资金按立项通知的要求专款专用。", "", None
    return "", "本次申报未获支持，流程办结。", "", None


def progress_of(application, now=None) -> Progress:
    """The stage tracker of one application (one query for its transitions, one for its decision)."""
    now = now or timezone.now()
    transitions = list(application.transitions.order_by("at", "pk"))
    decision = _decision(application)
    current = _current(application, transitions)
    stages = tuple(
        _stage(index, definition, current, application, transitions, decision)
        for index, definition in enumerate(STAGES)
    )
    holder, next_step, deadline_label, deadline = _holder_and_next(application, now)
    return Progress(
        stages=stages,
        current=current,
        holder=holder,
        next_step=next_step,
        deadline_label=deadline_label if deadline else "",
        deadline=deadline,
        headline=_headline(application, decision),
    )

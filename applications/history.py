"""An application's moves as each reader may see them: when, who (in which role), what, from → to, and why.

Experts are anonymous to everyone but the 自治区: an applicant or a 盟市 sees that the expert review
finished, never which expert's submission finished it.
"""

from accounts import scoping
from accounts.models import Role
from applications.workflow import ACTIONS, ActionCode

DEPARTMENT_NAME = "内蒙古自治区工业和信息化厅"


def role_label(value):
    return Role(value).label if value in Role.values else value


def entries(application, viewer):
    """Every Transition, newest first, each with `who`, `unit`, `role_label` and `action_label` for `viewer`."""
    rows = list(application.transitions.select_related("actor", "actor__region", "version").order_by("-at", "-pk"))
    names_experts = scoping.may_manage_experts(viewer)
    for row in rows:
        row.role_label = role_label(row.actor_role)
        row.action_label = ACTIONS[row.action].label if row.action in ACTIONS else row.action
        row.unit = _unit_of(row)
        # A 重新提交's reason is the applicant's 修改说明 (applications/submission.py).
        row.reason_label = "修改说明" if row.action == ActionCode.RESUBMIT and row.reason else ""
        row.who = row.actor.full_name or row.actor.username
        if row.actor_role == Role.EXPERT and not names_experts:
            row.who, row.unit, row.role_label = "", "专家评审组", "平台"
    return rows


def opinions(application, viewer):
    """What officials told the applicant (退回理由, 推荐意见, decisions), newest first."""
    return [
        row
        for row in entries(application, viewer)
        if row.reason and row.actor_role not in (Role.APPLICANT, Role.EXPERT)
    ]


def _unit_of(transition):
    """The body a person acted for, as the applicant knows it: the 盟市's bureau or the 自治区's department."""
    if transition.actor_role == Role.BUREAU and transition.actor.region:
        return transition.actor.region.bureau_name
    if transition.actor_role == Role.DEPARTMENT:
        return DEPARTMENT_NAME
    if transition.actor_role == Role.APPLICANT:
        return transition.application.organisation.name
    return transition.actor.affiliation or role_label(transition.actor_role)

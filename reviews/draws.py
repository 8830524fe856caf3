"""随机抽取: experts drawn at random from the 专家库 for an application, or a 评审组 of applications of one call.

A draw reads the pool as it stands (every active expert account: 盟市, 单位, 专业领域, status, declared
ties, open tasks), excludes by rule, and ranks the experts left by SHA-256(seed:expert id) — a rule a
监督人 can check by hand with any SHA-256 tool — taking the first N as experts and the next R as
reserves, in order. Everything it read is recorded on the ExpertDraw (`snapshot`, `rules`, `seed`)
with its `result`, so `reproduce(draw)` runs the same pure function again and must give the same
experts; the seed comes from `secrets` and is stored, never chosen by a person.

Exclusion rules, first that applies is the reason recorded (`exclusion`): 暂停; already part of the
application's review; 工作单位 is the applicant; 盟市 is the applicant's, its lead or a participating
盟市; a declared tie to the applicant's 统一社会信用代码; open tasks at the workload cap; no matching
专业领域. Fewer than N+R experts left is a refusal, saying how many there are.

The draw 受理s an application still 待自治区受理 (workflow ACCEPT) and invites the N experts
(reviews/invitations.py: ExpertReview rows with the time limit to answer); a decline brings the next reserve.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from applications import workflow
from applications.models import Status
from applications.workflow import ActionCode
from audit.log import record
from calls import expertise
from reviews import notices
from reviews.models import ExpertDraw, ExpertProfile, ExpertReview

ALGORITHM = "sha256-rank-v1"  # rank = SHA-256("<seed>:<expert id>") in hex, ascending
DEFAULT_WORKLOAD_CAP = 5
MAX_EXPERTS = 15
MAX_RESERVES = 15
MAX_GROUP = 20


class DrawRefused(workflow.WorkflowRefused):
    """Why this draw cannot be made; nothing was recorded."""


def workload_cap():
    """The default cap on an expert's open tasks (SHENBAO_EXPERT_WORKLOAD_CAP); the draw form may change it."""
    return int(getattr(settings, "SHENBAO_EXPERT_WORKLOAD_CAP", DEFAULT_WORKLOAD_CAP))


def _same(a, b):
    return "".join((a or "").split()) == "".join((b or "").split()) != ""


def fields_for(applications):
    """The 专业领域 the applications' 主导产业 call for (their call's `expertise:`), in taxonomy order."""
    codes = set()
    for app in applications:
        version = app.latest_version
        schema = version.schema if version else app.schema
        if schema.expertise is None:
            continue
        data = version.data if version else app.data
        codes.update(schema.expertise.codes_for(data, schema.title_of(data) or app.title))
    return expertise.ordered(codes)


def _applicant(app):
    regions = {app.lead_region_id, app.organisation.region_id}
    regions |= set(app.participating_regions.values_list("pk", flat=True))
    return {
        "id": app.pk,
        "number": app.number,
        "organisation": app.organisation.name,
        "credit_code": app.organisation.credit_code,
        "regions": sorted(r for r in regions if r),
    }


def take_snapshot(applications):
    """Every active expert account as the rules read it now, ordered by id."""
    from reviews.pool import open_tasks

    experts = (
        User.objects.filter(role=Role.EXPERT, is_active=True)
        .select_related("region", "expert_profile")
        .prefetch_related("expert_profile__ties")
        .order_by("pk")
    )
    workload = open_tasks()
    taken = set(ExpertReview.objects.filter(application__in=applications).values_list("expert_id", flat=True))
    rows = []
    for e in experts:
        profile = getattr(e, "expert_profile", None)
        rows.append(
            {
                "id": e.pk,
                "name": e.full_name or e.username,
                "affiliation": e.affiliation,
                "title": profile.title if profile else "",
                "region": e.region_id,
                "region_name": e.region.name if e.region else "",
                "fields": profile.fields if profile else [],
                "status": profile.status if profile else ExpertProfile.Status.AVAILABLE.value,
                "ties": sorted(t.credit_code for t in profile.ties.all()) if profile else [],
                "open_tasks": workload.get(e.pk, 0),
                "assigned": e.pk in taken,
            }
        )
    return rows


def exclusion(expert, rules):
    """Why the rules keep `expert` (a snapshot row) out of this draw, or "" when they do not."""
    if expert["status"] == ExpertProfile.Status.PAUSED:
        return "专家状态为暂停"
    several = len(rules["applications"]) > 1
    for app in rules["applications"]:
        which = f"（{app['number']}）" if several else ""
        if expert["assigned"]:
            return "已参与本申报评审"
        if _same(expert["affiliation"], app["organisation"]):
            return f"专家工作单位（{expert['affiliation']}）即申报单位{which}"
        if expert["region"] and expert["region"] in app["regions"]:
            return f"专家所在盟市（{expert['region_name']}）为申报单位所在或牵头、参与盟市{which}"
        if app["credit_code"] in expert["ties"]:
            return f"专家声明与申报单位（{app['credit_code']}）存在关联{which}"
    cap = rules["workload_cap"]
    if expert["open_tasks"] >= cap:
        return f"在审任务 {expert['open_tasks']} 项，已达上限 {cap} 项"
    if not set(expert["fields"]) & set(rules["fields"]):
        return "专业领域不匹配"
    return ""


def rank(seed, expert_id):
    return hashlib.sha256(f"{seed}:{expert_id}".encode()).hexdigest()


def run(snapshot, rules, seed):
    """The draw itself, a pure function of what is recorded: the same inputs give the same result."""
    excluded, eligible = [], []
    for expert in snapshot:
        reason = exclusion(expert, rules)
        if reason:
            excluded.append({"id": expert["id"], "reason": reason})
        else:
            eligible.append(expert["id"])
    wanted, reserves = rules["experts"], rules["reserves"]
    if len(eligible) < wanted + reserves:
        raise DrawRefused(
            f"符合条件的专家只有 {len(eligible)} 名，少于本次需要的 {wanted + reserves} 名"
            f"（抽取 {wanted} 名、备选 {reserves} 名）。请减少人数、调整专业领域或在审任务上限，或先充实专家库。"
        )
    ordered = sorted(eligible, key=lambda pk: rank(seed, pk))
    return {
        "drawn": ordered[:wanted],
        "reserves": ordered[wanted : wanted + reserves],
        "excluded": excluded,
        "eligible": len(eligible),
    }


def reproduce(draw):
    """Run the recorded draw again from its record alone; it must equal `draw.result`."""
    return run(draw.snapshot, draw.rules, draw.seed)


def verify(draw, user):
    """复核: re-run the draw from its record, audit the check and say whether it gave the same experts."""
    again = reproduce(draw)
    same = again == draw.result
    record("expert_draw_reproduce", user=user, obj=draw, detail={"same": same})
    return same


def _check(applications, wanted, reserves, cap, respond_by, fields, now):
    if not applications:
        raise DrawRefused("请选择要抽取专家的申报。")
    if len(applications) > MAX_GROUP:
        raise DrawRefused(f"一个评审组最多 {MAX_GROUP} 份申报。")
    if len({a.call_id for a in applications}) != 1:
        raise DrawRefused("一个评审组的申报须属于同一申报批次。")
    if not 1 <= wanted <= MAX_EXPERTS:
        raise DrawRefused(f"抽取人数应为 1 至 {MAX_EXPERTS} 名。")
    if not 0 <= reserves <= MAX_RESERVES:
        raise DrawRefused(f"备选人数应为 0 至 {MAX_RESERVES} 名。")
    if cap < 1:
        raise DrawRefused("在审任务上限至少为 1 项。")
    if respond_by <= now:
        raise DrawRefused("答复截止时间须晚于现在。")
    if not fields:
        raise DrawRefused("请至少选择一个专业领域。")
    unknown = [f for f in fields if f not in expertise.LABELS]
    if unknown:
        raise DrawRefused(f"没有这个专业领域：{'、'.join(unknown)}")


def _open_review(app, user, now):
    """受理 an application that waits for it; one already under review takes more experts."""
    if app.status == Status.UNDER_REVIEW and workflow.in_scope(user, app, workflow.ACTIONS[ActionCode.ACCEPT]):
        return
    problem = workflow.refusal(user, app, ActionCode.ACCEPT, now)
    if problem:
        raise DrawRefused(f"{app.number}：{problem}")
    workflow.move(app, ActionCode.ACCEPT, user, now=now)
    notices.accepted(app, user)


def draw(applications, user, *, experts, reserves, cap, respond_by, fields, supervisor="", now=None):
    """Draw, record and invite: one ExpertDraw for the applications (a 评审组 when several), audited."""
    from reviews import invitations

    now = now or timezone.now()
    _check(applications, experts, reserves, cap, respond_by, list(fields), now)
    fields = expertise.ordered(fields)
    with transaction.atomic():
        apps = [workflow.locked(a) for a in sorted(applications, key=lambda a: a.pk)]
        for app in apps:
            if not (app.status == Status.UNDER_REVIEW or workflow.allowed(user, app, ActionCode.ACCEPT, now)):
                problem = workflow.refusal(user, app, ActionCode.ACCEPT, now) or "当前不能抽取专家。"
                raise DrawRefused(f"{app.number}：{problem}")
        rules = {
            "algorithm": ALGORITHM,
            "experts": experts,
            "reserves": reserves,
            "workload_cap": cap,
            "fields": fields,
            "applications": [_applicant(a) for a in apps],
        }
        snapshot = take_snapshot(apps)
        seed = secrets.token_hex(16)
        result = run(snapshot, rules, seed)
        for app in apps:
            _open_review(app, user, now)
        record_ = ExpertDraw.objects.create(
            call=apps[0].call,
            experts_wanted=experts,
            reserves_wanted=reserves,
            workload_cap=cap,
            respond_by=respond_by,
            seed=seed,
            rules=rules,
            snapshot=snapshot,
            result=result,
            supervisor=(supervisor or "").strip()[:30],
            drawn_by=user,
            drawn_at=now,
        )
        record_.applications.set(apps)
        record(
            "expert_draw",
            user=user,
            obj=record_,
            detail={
                "applications": [a.pk for a in apps],
                "numbers": [a.number for a in apps],
                "experts": experts,
                "reserves": reserves,
                "workload_cap": cap,
                "pool": len(snapshot),
                "eligible": result["eligible"],
                "excluded_count": len(result["excluded"]),
                "seed": seed,
            },
        )
        for expert_id in result["drawn"]:
            invitations.invite(record_, User.objects.get(pk=expert_id), user, now)
        return record_


def candidates_of(draw):
    """The snapshot rows by expert id, to name the experts of a record as they stood when drawn."""
    return {row["id"]: row for row in draw.snapshot}

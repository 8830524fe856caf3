"""专家库: the 自治区's pool of experts — each an expert account (姓名, 工作单位, 盟市, contact on accounts.User)
with a profile (职称, 专业领域, 可用/暂停, declared ties: ExpertProfile, ExpertTie).

Adding, editing, pausing and importing are the 自治区工信厅's alone (accounts.scoping.may_manage_expert_pool)
and each is audited inside its transaction, with counts and ids only. A new expert's login name is its
mobile number; its one-time password goes to its mobile and e-mail (accounts.credentials), as for any
account the platform opens, and it must change it at first login.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import scoping
from accounts.administration import temporary_password
from accounts.credentials import send_temporary_password
from accounts.models import Role, User
from audit.log import record
from calls import expertise
from reviews.models import ExpertProfile, ExpertReview, ExpertTie


class PoolRefused(Exception):
    """Why this change to the pool cannot be made; shown at the top of the form."""


@dataclass
class Entry:
    """One expert as the form or one imported row gives it: already checked by reviews.pool_forms."""

    full_name: str
    affiliation: str
    region: object  # regions.Region or None
    title: str
    fields: list
    mobile: str
    email: str
    status: str = ExpertProfile.Status.AVAILABLE
    ties: list = field(default_factory=list)  # [(credit code, name)]
    note: str = ""


def _require(user):
    if not scoping.may_manage_expert_pool(user):
        raise PoolRefused("只有自治区工业和信息化厅可以管理专家库。")


def profile_of(expert):
    """The expert's 专家库 entry; an expert account opened by the 系统管理员 gets an empty one (可用, no field)."""
    profile, _ = ExpertProfile.objects.get_or_create(expert=expert)
    return profile


def open_tasks(expert_ids=None):
    """Open tasks per expert (invited, or declared and still scoring): what the workload cap counts."""
    rows = ExpertReview.objects.pending()
    if expert_ids is not None:
        rows = rows.filter(expert_id__in=expert_ids)
    counts: dict[int, int] = {}
    for expert_id in rows.values_list("expert_id", flat=True):
        counts[expert_id] = counts.get(expert_id, 0) + 1
    return counts


def search(experts, q="", field_code="", region=None, status=""):
    """Filter the pool list: text in 姓名/工作单位/职称, one 专业领域, one 盟市, 可用/暂停/未建档."""
    if q:
        experts = experts.filter(
            Q(full_name__icontains=q) | Q(affiliation__icontains=q) | Q(expert_profile__title__icontains=q)
        )
    if field_code:
        experts = experts.filter(expert_profile__field_codes__contains=f",{field_code},")
    if region is not None:
        experts = experts.filter(region=region)
    if status == ExpertProfile.Status.PAUSED:
        experts = experts.filter(expert_profile__status=ExpertProfile.Status.PAUSED)
    elif status == ExpertProfile.Status.AVAILABLE:
        experts = experts.filter(expert_profile__status=ExpertProfile.Status.AVAILABLE)
    return experts


def _write(expert, entry):
    expert.full_name = entry.full_name
    expert.affiliation = entry.affiliation
    expert.region = entry.region
    expert.mobile = entry.mobile
    expert.email = entry.email
    expert.save()
    profile = profile_of(expert)
    profile.title = entry.title
    profile.fields = expertise.ordered(entry.fields)
    profile.status = entry.status
    profile.note = entry.note
    profile.updated_at = timezone.now()
    profile.save()
    kept = {code for code, _ in entry.ties}
    profile.ties.exclude(credit_code__in=kept).delete()
    for code, name in entry.ties:
        ExpertTie.objects.update_or_create(profile=profile, credit_code=code, defaults={"name": name})
    return profile


def _detail(profile):
    return {"fields": len(profile.fields), "ties": profile.ties.count(), "status": profile.status}


def _create(entry):
    if User.objects.filter(username=entry.mobile).exists():
        raise PoolRefused(f"手机号码 {entry.mobile} 已用作其他账号的登录名。")
    expert = User(username=entry.mobile, role=Role.EXPERT, must_change_password=True)
    password = temporary_password()
    expert.set_password(password)
    profile = _write(expert, entry)
    send_temporary_password(expert, password, new_account=True)
    return profile


def add_expert(actor, entry):
    """A new expert account with its profile; the one-time password is sent to the expert."""
    _require(actor)
    with transaction.atomic():
        profile = _create(entry)
        record("expert_pool_add", user=actor, obj=profile.expert, detail=_detail(profile))
        return profile.expert


def update_expert(actor, expert, entry):
    _require(actor)
    with transaction.atomic():
        expert = User.objects.select_for_update().get(pk=expert.pk, role=Role.EXPERT)
        if entry.mobile != expert.mobile and User.objects.filter(username=entry.mobile).exclude(pk=expert.pk).exists():
            raise PoolRefused(f"手机号码 {entry.mobile} 已用作其他账号的登录名。")
        profile = _write(expert, entry)
        record("expert_pool_update", user=actor, obj=expert, detail=_detail(profile))
        return expert


def set_paused(actor, expert, paused, reason=""):
    """暂停 (never drawn while paused; tasks already held go on) or 恢复 an expert."""
    _require(actor)
    reason = (reason or "").strip()
    if paused and not reason:
        raise PoolRefused("请填写暂停的原因。")
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().filter(expert=expert).first() or profile_of(expert)
        profile.status = ExpertProfile.Status.PAUSED if paused else ExpertProfile.Status.AVAILABLE
        if paused:
            profile.note = f"暂停：{reason}"[:200]
        profile.updated_at = timezone.now()
        profile.save(update_fields=["status", "note", "updated_at"])
        record(
            "expert_pause" if paused else "expert_resume",
            user=actor,
            obj=expert,
            detail={"reason_chars": len(reason)},
        )
        return profile


def import_entries(actor, rows):
    """Import checked rows [(row number, Entry)]: an expert whose mobile is known is updated, a new one
    is opened. All or nothing: the caller checked every row first; a refusal here undoes them all."""
    _require(actor)
    created = updated = 0
    with transaction.atomic():
        for number, entry in rows:
            # An expert opened by the 系统管理员 has another login name: its mobile finds it first.
            existing = (
                User.objects.filter(role=Role.EXPERT, mobile=entry.mobile).first()
                or User.objects.filter(username=entry.mobile).first()
            )
            try:
                if existing is None:
                    _create(entry)
                    created += 1
                elif existing.role != Role.EXPERT:
                    raise PoolRefused(f"手机号码 {entry.mobile} 已用作其他（非评审专家）账号的登录名。")
                else:
                    _write(existing, entry)
                    updated += 1
            except PoolRefused as exc:
                raise PoolRefused(f"第 {number} 行：{exc}") from None
        record(
            "expert_pool_import",
            user=actor,
            object_type="expertprofile",
            object_repr="专家库",
            detail={"created": created, "updated": updated},
        )
    return created, updated

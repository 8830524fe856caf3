"""A 申报单位 registers; its 盟市工信局 approves or rejects; a rejected one corrects and resubmits.

Each step is audited in its own transaction. The entries name the organisation by its 统一社会信用代码 and
keep no text it typed and no reason written about it: the 审计管理员 reads no applicant content (docs/audit.md).
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from audit.log import record


@transaction.atomic
def register_organisation(form) -> User:
    """Create the pending organisation and its account from a valid RegistrationForm."""
    organisation = form.save(commit=False)
    organisation.status = Organisation.Status.PENDING
    organisation.save()
    user = User(
        username=organisation.credit_code,
        role=Role.APPLICANT,
        organisation=organisation,
        full_name=organisation.contact_name,
        mobile=organisation.contact_mobile,
        email=organisation.email,
    )
    user.set_password(form.cleaned_data["password1"])
    user.full_clean(exclude=["password"])
    user.save()
    record(
        "registration",
        user=user,
        obj=organisation,
        detail={"region": organisation.region.code, "status": organisation.status},
    )
    return user


@transaction.atomic
def review_registration(organisation, reviewer, *, approve: bool, reason: str = "") -> Organisation:
    """Record the 盟市's decision on a pending registration; a rejection needs a reason."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.PENDING:
        raise ValueError("该注册申请已审核，不能重复审核。")
    if not approve and not reason.strip():
        raise ValueError("不通过时必须填写原因。")
    organisation.status = Organisation.Status.APPROVED if approve else Organisation.Status.REJECTED
    organisation.review_reason = reason.strip()
    organisation.reviewed_by = reviewer
    organisation.reviewed_at = timezone.now()
    organisation.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    record(
        "registration_review",
        user=reviewer,
        obj=organisation,
        detail={"approved": approve, "status": organisation.status, "reason_chars": len(organisation.review_reason)},
    )
    return organisation


@transaction.atomic
def update_registration(form) -> Organisation:
    """Save an applicant's corrections; a rejected registration goes back to its 盟市 for review."""
    fields = [name for name in form.Meta.fields if name in form.cleaned_data]
    before = Organisation.objects.filter(pk=form.instance.pk).values(*fields, "status").get()
    organisation = form.save(commit=False)
    organisation.status = Organisation.Status.PENDING
    organisation.save()
    # Which fields changed, not their old or new values: those are the applicant's own text.
    changed = [
        name for name in fields if before[name] != getattr(organisation, name + "_id", getattr(organisation, name))
    ]
    record(
        "registration_update",
        obj=organisation,
        detail={"changed_fields": changed, "old_status": before["status"], "status": organisation.status},
    )
    organisation.users.filter(role=Role.APPLICANT).update(
        full_name=organisation.contact_name, mobile=organisation.contact_mobile, email=organisation.email
    )
    return organisation

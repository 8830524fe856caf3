"""What the 系统管理员 does to accounts, organisations and 盟市, and how the three operator
accounts are created. Every change is audited here, so no caller can forget it."""

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.db import transaction

from accounts import credentials, scoping
from accounts.models import OPERATOR_ROLES, Organisation, User
from audit.log import record
from audit.models import AuditEntry


class AdministrationRefused(Exception):
    """An administrative change the rules do not allow; the message says why, in Chinese."""


# Read aloud or copied by hand, so no look-alikes (0/O, 1/l/I).
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "#@%+=-"


def temporary_password(length: int = 14) -> str:
    """A random password with all four character classes; the holder must change it at first login."""
    alphabet = _UPPER + _LOWER + _DIGITS + _SYMBOLS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in group for c in candidate) for group in (_UPPER, _LOWER, _DIGITS, _SYMBOLS)):
            password_validation.validate_password(candidate)
            return candidate


def _changes(before: dict, after: dict) -> dict:
    return {name: {"old": before[name], "new": value} for name, value in after.items() if before.get(name) != value}


def _snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _plain(value):
    return str(value) if hasattr(value, "_meta") else value


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise AdministrationRefused(message)


# --- Accounts ---

ACCOUNT_FIELDS = ("full_name", "region", "affiliation", "mobile", "email")


@transaction.atomic
def create_staff_account(form, actor) -> tuple[User, list[str]]:
    """Save a new staff account from a valid StaffAccountForm with a one-time password, sent to the holder
    (never shown to the administrator); returns the account and where the password went, masked."""
    _require(scoping.may_create_accounts(actor), "只有系统管理员可以创建账号。")
    user = form.save(commit=False)
    _require(credentials.has_contact(user), credentials.NO_CONTACT)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    record("account_create", user=actor, obj=user, detail={"role": user.role, **_snapshot(user, ACCOUNT_FIELDS)})
    return user, credentials.send_temporary_password(user, password, new_account=True)


@transaction.atomic
def update_staff_account(form, actor) -> User:
    """Save a business account's details from a valid StaffAccountForm; a new role is recorded on its own.
    A changed mobile or e-mail is told to the holder at the old ones."""
    _require(scoping.may_manage_account(actor, form.instance), "三员分立：系统管理员不能修改管理员账号。")
    before = User.objects.get(pk=form.instance.pk)
    old_contact = credentials.Contact.of(before)
    old = {"role": before.role, **_snapshot(before, ACCOUNT_FIELDS)}
    user = form.save()
    new = {"role": user.role, **_snapshot(user, ACCOUNT_FIELDS)}
    if old["role"] != new["role"]:
        record("role_change", user=actor, obj=user, detail={"old": old["role"], "new": new["role"]})
    details = _changes({k: v for k, v in old.items() if k != "role"}, {k: v for k, v in new.items() if k != "role"})
    if details:
        record("account_update", user=actor, obj=user, detail={"changes": details})
    if credentials.Contact.of(user) != old_contact:
        credentials.send_security_notice(user, old_contact, "系统管理员修改了您登记的手机号码或电子邮箱")
    return user


@transaction.atomic
def reset_password(user: User, actor=None) -> list[str]:
    """A new one-time password, sent to the holder's registered mobile and e-mail only; returns where it
    went, masked. Refused when the account has neither (the administrator must never see it)."""
    _require(credentials.has_contact(user), credentials.NO_CONTACT)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    axes_reset(username=user.username)
    channels = credentials.send_temporary_password(user, password, new_account=False)
    record("password_reset", user=actor, obj=user, detail={"sent_to": channels})
    return channels


@transaction.atomic
def set_active(user: User, active: bool, actor=None, reason: str = "") -> None:
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    detail = {"reason": reason} if reason else {}
    record("account_enable" if active else "account_disable", user=actor, obj=user, detail=detail)


@transaction.atomic
def unlock_account(user: User, actor=None) -> int:
    """Clear the failed-login lock on an account; returns how many failure records were removed.
    Audited when an administrator does it (`actor`); seed_demo's housekeeping passes none."""
    removed = axes_reset(username=user.username)
    if actor is not None:
        record("account_unlock", user=actor, obj=user, detail={"failures_cleared": removed})
    return removed


# --- Organisations (申报单位): their accounts, never their application content ---


@transaction.atomic
def set_organisation_active(organisation: Organisation, active: bool, actor, reason: str) -> int:
    """停用 or 启用 every account of a 申报单位 at once (e.g. it was dissolved, or reinstated).

    Enabling gives back only the accounts the last organisation-level 停用 switched off (their ids are in
    that audit entry): an account disabled on its own, before or after, stays disabled."""
    _require(scoping.may_manage_organisation(actor, organisation), "只有系统管理员可以停用或启用申报单位的账号。")
    reason = reason.strip()
    _require(bool(reason), "请填写停用或启用的原因。")
    accounts = organisation.users.select_for_update().exclude(is_active=active)
    if active and (disabled := _disabled_with_organisation(organisation)) is not None:
        accounts = accounts.filter(pk__in=disabled)
    changed = []
    for account in accounts.order_by("pk"):
        set_active(account, active, actor, reason)
        changed.append(account.pk)
    record(
        "organisation_change",
        user=actor,
        obj=organisation,
        detail={"accounts_active": active, "accounts_changed": len(changed), "account_ids": changed, "reason": reason},
    )
    return len(changed)


def _disabled_with_organisation(organisation) -> list[int] | None:
    """The accounts the last organisation-level 停用 switched off; None for an entry older than this
    record (then every disabled account of the organisation is enabled, as before)."""
    last = (
        AuditEntry.objects.filter(
            action="organisation_change", object_type="organisation", object_id=str(organisation.pk)
        )
        .order_by("-seq")
        .values_list("detail", flat=True)
        .first()
    )
    if not last or last.get("accounts_active") is not False:
        return []
    return last.get("account_ids")


# --- 盟市 (their codes are fixed by GB/T 2260 and never change here) ---


@transaction.atomic
def update_region(form, actor):
    _require(scoping.may_manage_regions(actor), "只有系统管理员可以修改盟市信息。")
    from regions.models import Region

    before = _snapshot(Region.objects.get(pk=form.instance.pk), form.Meta.fields)
    region = form.save()
    changes = _changes(before, _snapshot(region, form.Meta.fields))
    if changes:
        record("region_change", user=actor, obj=region, detail={"code": region.code, "changes": changes})
    return region


def create_operator(username: str, role: str, full_name: str, email: str, password: str) -> User:
    """三员分立 accounts are made at deployment by the operator with shell access, not in the web UI."""
    if role not in OPERATOR_ROLES:
        raise ValueError(f"{role} is not an operator role")
    user = User(username=username, role=role, full_name=full_name, email=email)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user

"""What the 系统管理员 does to accounts, and how the three operator accounts are created."""

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.db import transaction

from accounts.models import OPERATOR_ROLES, User

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


@transaction.atomic
def create_staff_account(form) -> tuple[User, str]:
    """Save a new staff account from a valid StaffAccountForm, with a one-time password."""
    user = form.save(commit=False)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    return user, password


def reset_password(user: User) -> str:
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    unlock_account(user)
    return password


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])


def unlock_account(user: User) -> int:
    """Clear the failed-login lock on an account; returns how many failure records were removed."""
    return axes_reset(username=user.username)


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

"""Password expiry and history (等保 三级): how old a password may get, and which may not come back."""

from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.utils import timezone

from accounts.models import PasswordHistory, User
from security import policy


def max_age() -> timedelta:
    return policy.current().password_max_age


def is_expired(user: User, now=None) -> bool:
    """A password set before password_changed_at was stamped counts from when the account was made."""
    changed = user.password_changed_at or user.date_joined
    return changed is not None and (now or timezone.now()) - changed > max_age()


def expiry_message() -> str:
    return f"您的密码已超过 {policy.current().password_max_age_days} 天未修改，请修改密码后继续使用。"


def _recent_hashes(user: User, count: int) -> list[str]:
    """The hashes of the user's last `count` passwords, the current one first."""
    hashes = [user.password] if user.has_usable_password() else []
    for encoded in PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]:
        if encoded not in hashes:
            hashes.append(encoded)
    return hashes[:count]


def was_recently_used(user: User, raw_password: str, count: int) -> bool:
    if user.pk is None:  # a new account has no history
        return False
    return any(check_password(raw_password, encoded) for encoded in _recent_hashes(user, count))


def remember(user: User, count: int) -> None:
    """Add the user's current password to the history and keep only the newest `count`."""
    if user.pk is None or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:count])
    PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

"""`current()`: the security policy in force, read by every control that enforces it.

The row is cached in each process for `TTL_SECONDS`; saving through `change()` clears this
process's copy at once, and the other worker processes read the new row when their copy ages
out, so a change reaches every process within `TTL_SECONDS` (docs/configuration.md).
"""

from django.db import transaction
from django.utils import timezone

from audit.log import record
from security.models import SecurityPolicy
from shenbao.lib.process_cache import PerProcess

TTL_SECONDS = 10

_saved = PerProcess(lambda: SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON_PK).first(), TTL_SECONDS)


def current() -> SecurityPolicy:
    """The saved policy, or the environment's defaults while the 安全管理员 has saved none."""
    row = _saved.get()
    # Without a saved row the defaults are read afresh, so they follow the settings.
    return row if row is not None else SecurityPolicy.from_settings()


def editable() -> SecurityPolicy:
    """A fresh copy for a form to change: the cached row is shared and must not be mutated."""
    return SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON_PK).first() or SecurityPolicy.from_settings()


def forget() -> None:
    """Drop this process's cached copy: the next `current()` reads the database."""
    _saved.forget()


def change(form, user) -> dict:
    """Save a valid SecurityPolicyForm and audit what changed (old → new); returns the changes."""
    with transaction.atomic():
        before = editable().values()
        policy = form.save(commit=False)
        policy.pk = SecurityPolicy.SINGLETON_PK
        policy.updated_by = user
        policy.updated_at = timezone.now()
        policy.save()
        changes = {
            name: {"old": before[name], "new": value}
            for name, value in policy.values().items()
            if before[name] != value
        }
        record(
            "setting_change",
            user=user,
            obj=policy,
            detail={"changes": changes, "labels": {name: _label(name) for name in changes}},
        )
    # Committed (views run without an outer transaction): this process reads the new row at once.
    forget()
    return changes


def _label(name):
    return str(SecurityPolicy._meta.get_field(name).verbose_name)


# --- django-axes reads these through AXES_FAILURE_LIMIT and AXES_COOLOFF_TIME (dotted paths) ---


def axes_failure_limit(request=None, credentials=None) -> int:
    return current().login_failure_limit


def axes_cooloff_time(request=None):
    return current().lockout

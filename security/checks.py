"""Start-up checks: the environment's security-policy defaults are inside the 等保 三级 bounds, and in
production no account carries Django's superuser or staff flags."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ValidationError
from django.db import OperationalError, ProgrammingError
from django.db.models import Q


@register(Tags.security)
def policy_defaults_in_bounds(app_configs, **kwargs):
    """Not deploy-only: `check`, `runserver` and `migrate` all refuse a default the 安全管理员's form
    would refuse. Validation only; the database is not read."""
    from security.models import BOUNDS, SecurityPolicy

    policy = SecurityPolicy.from_settings()
    try:
        policy.clean_fields(exclude=["updated_by", "updated_at"])
    except ValidationError as exc:
        errors = exc.message_dict
    else:
        return []
    return [
        Error(
            f"{BOUNDS[name].env}={getattr(policy, name)} is outside the allowed range "
            f"{BOUNDS[name].low}–{BOUNDS[name].high} ({BOUNDS[name].unit}).",
            hint=f"{BOUNDS[name].env}: {'；'.join(messages)}",
            id="security.E002",
        )
        for name, messages in errors.items()
        if name in BOUNDS
    ]


def _missing_table(exc) -> bool:
    text = str(exc).lower()
    return "no such table" in text or "does not exist" in text


@register(Tags.security, deploy=True)
def no_superuser_in_production(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    # The configured user model, not accounts' import: security sits below accounts (docs/architecture.md).
    users = get_user_model()._default_manager
    try:
        names = list(users.filter(Q(is_superuser=True) | Q(is_staff=True)).values_list("username", flat=True))
    except (OperationalError, ProgrammingError) as exc:
        if _missing_table(exc):  # before the first migrate there is nothing to check
            return []
        return [
            Warning(
                f"Could not read the accounts to check for superuser or staff flags: {exc}",
                hint="Run `manage.py check --deploy` again once the database is reachable.",
                id="security.W001",
            )
        ]
    if not names:
        return []
    return [
        Error(
            f"Accounts with is_superuser or is_staff exist in production: {', '.join(names[:10])}.",
            hint="三员分立: clear these flags (operator accounts come from manage.py create_operator).",
            id="security.E001",
        )
    ]

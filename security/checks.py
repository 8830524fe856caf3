"""Deploy checks: in production no account may carry Django's superuser or staff flags."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.db.models import Q


@register(Tags.security, deploy=True)
def no_superuser_in_production(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    from accounts.models import User

    try:
        names = list(User.objects.filter(Q(is_superuser=True) | Q(is_staff=True)).values_list("username", flat=True))
    except DatabaseError:  # no tables yet: nothing to check before migrate
        return []
    if not names:
        return []
    return [
        Error(
            f"Accounts with is_superuser or is_staff exist in production: {', '.join(names[:10])}.",
            hint="三员分立: clear these flags (operator accounts come from manage.py create_operator).",
            id="security.E001",
        )
    ]

"""Sign-in backend: in production an is_superuser or is_staff account cannot sign in at all (三员分立)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class ShenbaoModelBackend(ModelBackend):
    """ModelBackend, refusing Django's superuser/staff shortcuts in production. get_user() asks the
    same question, so a session opened before the flag was set ends at its next request."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)):
            return False
        return super().user_can_authenticate(user)

"""Sign-in backend: in production an is_superuser or is_staff account cannot sign in at all (三员分立)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ShenbaoModelBackend(ModelBackend):
    """ModelBackend, refusing Django's superuser/staff shortcuts in production. get_user() asks the
    same question, so a session opened before the flag was set ends at its next request."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)):
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The session's user with its 申报单位 and 盟市, which nearly every page asks about (scoping.may_apply,
        the 盟市 scope): read in the same query instead of one more each."""
        users = get_user_model()._default_manager
        try:
            user = users.select_related("organisation", "region").get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

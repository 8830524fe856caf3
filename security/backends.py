"""Sign-in backend: in production an is_superuser or is_staff account cannot sign in at all (三员分立); a
disabled account with its right password is refused, recorded, and marked on the request so the login page
can say why."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from audit.log import record
from audit.models import Result

# Set on the request when the password was right but the account is disabled: the login form then says so.
# Only then: a wrong password keeps the neutral sentence, so a stranger learns nothing about the account.
DISABLED_ACCOUNT = "shenbao_disabled_account"


def disabled_account(request):
    """The disabled account whose right password this request gave, or None."""
    return getattr(request, DISABLED_ACCOUNT, None)


class ShenbaoModelBackend(ModelBackend):
    """ModelBackend, refusing Django's superuser/staff shortcuts in production. get_user() asks the
    same question, so a session opened before the flag was set ends at its next request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """ModelBackend's steps, in its order (the password is checked before the account's state, and a
        missing account costs one hash too), keeping apart the one refusal a person may be told about."""
        users = get_user_model()._default_manager
        if username is None:
            username = kwargs.get(users.model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            users.model().set_password(password)  # as long as checking a real account's password
            return None
        if not user.check_password(password):
            return None
        if self.user_can_authenticate(user):
            return user
        if not user.is_active and not self._is_django_shortcut(user):
            # The failure is still a failure: django.contrib.auth fires user_login_failed, which axes
            # counts toward the lock and the audit log records as 登录失败; this entry says why.
            record(
                "login_disabled",
                request=request,
                user=user,
                obj=user,
                result=Result.REFUSED,
                detail={"reason": "账号已停用"},
            )
            if request is not None:
                setattr(request, DISABLED_ACCOUNT, user)
        return None

    def user_can_authenticate(self, user):
        if self._is_django_shortcut(user):
            return False
        return super().user_can_authenticate(user)

    @staticmethod
    def _is_django_shortcut(user):
        return settings.PRODUCTION and (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False))

    def get_user(self, user_id):
        """The session's user with its 申报单位 and 盟市, which nearly every page asks about (scoping.may_apply,
        the 盟市 scope): read in the same query instead of one more each."""
        users = get_user_model()._default_manager
        try:
            user = users.select_related("organisation", "region").get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

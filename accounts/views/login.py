"""Signing in and out, lockout and session-expiry pages, and changing one's password."""

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from accounts.forms import LoginForm, ShenbaoPasswordChangeForm
from accounts.validators import axes_username
from audit.log import record
from security import policy


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ShenbaoPasswordChangeForm
    success_url = reverse_lazy("portal:home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            password_history=policy.current().password_history,
            password_max_age_days=policy.current().password_max_age_days,
            **kwargs,
        )

    def form_valid(self, form):
        # The new password and its audit entry are one: if the entry cannot be written, nothing changes.
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
            record("password_change", request=self.request, user=user, obj=user)
        messages.success(self.request, "密码已修改。")
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a locked account tries to sign in (AXES_LOCKOUT_CALLABLE)."""
    username = axes_username(request, credentials)  # the name axes counted under: 信用代码 normalised
    last_failure = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    rules = policy.current()
    unlock_at = (last_failure or timezone.now()) + rules.lockout
    context = {
        "failure_limit": rules.login_failure_limit,
        "cooloff_minutes": rules.lockout_minutes,
        "unlock_at": unlock_at,
    }
    return render(request, "accounts/locked.html", context, status=429)


def session_expired(request):
    minutes = policy.current().idle_timeout_minutes
    return render(request, "accounts/session_expired.html", {"idle_minutes": minutes})

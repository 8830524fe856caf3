"""Session rules that apply to every request: the idle timeout and the forced password change."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts import passwords

LAST_ACTIVITY_KEY = "shenbao_last_activity"


def is_background_request(request):
    """htmx and the autosave script's fetch calls: they need a status code, not a page."""
    return bool(request.headers.get("HX-Request")) or request.headers.get("X-Requested-With") == "fetch"


def _redirect(request, url):
    if is_background_request(request):
        # Background requests cannot follow a redirect to a page; say where to go instead.
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than SESSION_IDLE_TIMEOUT and say so on a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                logout(request)
                return _redirect(request, reverse("accounts:session_expired"))
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Accounts created or reset by an administrator must set their own password first, and a
    password older than SHENBAO_PASSWORD_MAX_AGE_DAYS must be changed before anything else."""

    ALLOWED = {"accounts:password_change", "accounts:logout", "accounts:session_expired"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._exempt(request):
            if user.must_change_password:
                message = "为保障账号安全，请先修改管理员设置的初始密码。"
            elif passwords.is_expired(user):
                message = passwords.expiry_message()
            else:
                return self.get_response(request)
            messages.warning(request, message)
            return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)

    def _exempt(self, request):
        if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
            return True
        return _view_name(request.path_info) in self.ALLOWED


def _view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None

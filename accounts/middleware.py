"""Session rules that apply to every request: the idle timeout, the second factor and the forced
password change."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts import passwords, two_factor
from security import policy

LAST_ACTIVITY_KEY = "shenbao_last_activity"
# The activity stamp is rewritten at most this often, so a signed-in request (an autosave every few
# seconds) does not rewrite its session row each time. Idleness counts from the stamp, so a session can
# end up to this much before the idle timeout, never after it (bench/autosave_load.py, docs/performance.md).
STAMP_EVERY_SECONDS = 15


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
    """Sign out a session idle for longer than the security policy's idle timeout and say so on a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > policy.current().idle_timeout.total_seconds():
                logout(request)
                return _redirect(request, reverse("accounts:session_expired"))
            if last is None or now - last >= STAMP_EVERY_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Until the second factor is passed, a signed-in session reaches only the second-factor pages,
    logout and static files (docs/two-factor.md). Staff without a bound authenticator are sent to bind
    one; anyone with one (staff, or a 申报单位 that opted in) is asked for a code.

    Runs after OTPMiddleware and before PasswordChangeRequiredMiddleware: the password step alone proves
    too little to be allowed to set a new password, so the second factor comes first."""

    ALLOWED = {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "accounts:session_expired",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if two_factor.needs_second_step(request.user) and not _exempt(request, self.ALLOWED):
            name = "accounts:two_factor_verify" if two_factor.is_enrolled(request.user) else "accounts:two_factor_setup"
            url = reverse(name)
            if request.method == "GET" and not is_background_request(request):
                url += "?" + urlencode({"next": request.get_full_path()})
            return _redirect(request, url)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Accounts created or reset by an administrator must set their own password first, and a
    password older than the security policy's maximum age must be changed before anything else."""

    # The second-factor pages come first (TwoFactorRequiredMiddleware), so they stay reachable here.
    ALLOWED = {
        "accounts:password_change",
        "accounts:logout",
        "accounts:session_expired",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not _exempt(request, self.ALLOWED):
            if user.must_change_password:
                message = "为保障账号安全，请先修改管理员设置的初始密码。"
            elif passwords.is_expired(user):
                message = passwords.expiry_message()
            else:
                return self.get_response(request)
            messages.warning(request, message)
            return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)


def _exempt(request, allowed):
    """Static files, and the pages in `allowed` (named `namespace:name`)."""
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return True
    return _view_name(request.path_info) in allowed


def _view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None

"""The second-factor pages: the code step at sign-in, binding an authenticator, recovery codes, and the
账号安全 page. The rules are in accounts/two_factor.py; these views only parse, call and render."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import two_factor
from shenbao.lib.forms import ShenbaoForm


class CodeForm(ShenbaoForm):
    code = forms.CharField(
        label="动态验证码",
        max_length=20,
        help_text=(
            "打开手机上的验证器（如微信或支付宝的“动态口令”小程序、Google Authenticator），输入当前显示的 6 位数字。"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )


class LoginCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text += "手机不在身边时，可输入一个恢复码（如 abcd-efgh），每个恢复码只能使用一次。"
        self.fields["code"].widget.attrs["inputmode"] = "text"


class ReplaceForm(CodeForm):
    """Binding a new phone: the new authenticator's code, and the old one's (or a recovery code)."""

    current_code = forms.CharField(
        label="原手机的动态验证码",
        max_length=20,
        help_text="输入原手机验证器中当前显示的 6 位数字；原手机已丢失时，可输入一个恢复码（如 abcd-efgh）。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["current_code", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "新手机的动态验证码"
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["current_code"].widget.attrs["autofocus"] = True


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in, for a person with a bound authenticator."""
    if not two_factor.is_enrolled(request.user) and two_factor.is_required(request.user):
        return redirect("accounts:two_factor_setup")
    if request.user.is_verified() or not two_factor.is_enrolled(request.user):
        return redirect(_next_url(request))
    form = LoginCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify(request, form.cleaned_data["code"])
        if outcome.ok:
            if outcome.recovery_left is not None:
                messages.warning(
                    request,
                    f"您使用了一个恢复码，还剩 {outcome.recovery_left} 个。如手机已丢失，请在“账号安全”中绑定新手机。",
                )
            return redirect(_next_url(request))
        form.add_error("code", outcome.error)
    context = {"form": form, "next": _next_url(request), "second_step_pending": True}
    return render(request, "accounts/two_factor_verify.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Bind an authenticator: the QR code, the same key for typing by hand, and a code to prove it works.
    A person already bound may bind a new phone only from a verified session."""
    enrolled = two_factor.is_enrolled(request.user)
    if enrolled and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    form = (ReplaceForm if enrolled else CodeForm)(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        current = form.cleaned_data.get("current_code")
        outcome = two_factor.confirm_enrolment(request, form.cleaned_data["code"], current)
        if outcome.ok:
            return _show_recovery_codes(request, outcome.recovery_codes, enrolled=True)
        form.add_error("current_code" if outcome.current_refused else "code", outcome.error)
    context = {
        "form": form,
        "enrolment": two_factor.pending_enrolment(request.user),
        "replacing": enrolled,
        "required": two_factor.is_required(request.user),
        "next": _next_url(request),
        "second_step_pending": two_factor.needs_second_step(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _show_recovery_codes(request, codes, enrolled=False):
    # Rendered in the answer to the POST that made them, never stored in the session: shown this once.
    context = {"codes": codes, "enrolled": enrolled, "next": _next_url(request)}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@never_cache
@login_required
@require_POST
def regenerate_recovery_codes(request):
    """Confirmed with a current 6-digit code; a wrong one is shown next to the field on 账号安全."""
    two_factor.check_may_regenerate(request.user)
    form = CodeForm(request.POST, prefix="regenerate")
    if form.is_valid():
        outcome = two_factor.regenerate_recovery_codes(request, form.cleaned_data["code"])
        if outcome.ok:
            return _show_recovery_codes(request, outcome.recovery_codes)
        form.add_error("code", outcome.error)
    return _security_page(request, CodeForm(prefix="disable"), form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """账号安全: whether the second factor is on, recovery codes left, and what this person may change."""
    disable_form = CodeForm(request.POST if request.method == "POST" else None, prefix="disable")
    if request.method == "POST":
        # The one thing posted here is switching the second factor off: 申报单位 only.
        two_factor.check_may_disable(request.user)
        if disable_form.is_valid():
            outcome = two_factor.disable(request, disable_form.cleaned_data["code"])
            if outcome.ok:
                messages.success(request, "已停用动态口令。下次登录只需输入账号和密码。")
                return redirect("accounts:two_factor")
            disable_form.add_error("code", outcome.error)
    return _security_page(request, disable_form, CodeForm(prefix="regenerate"))


def _security_page(request, disable_form, regenerate_form):
    user = request.user
    context = {
        "enrolled": two_factor.is_enrolled(user),
        "required": two_factor.is_required(user),
        "device": two_factor.totp_device(user),
        "recovery_left": two_factor.remaining_recovery_codes(user),
        "recovery_total": two_factor.RECOVERY_CODE_COUNT,
        "disable_form": disable_form,
        "regenerate_form": regenerate_form,
    }
    return render(request, "accounts/two_factor_security.html", context)

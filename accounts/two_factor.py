"""The second factor (动态口令, TOTP): who must use it, enrolment, recovery codes, verification,
disabling and the 系统管理员's reset — the one place these rules live (docs/two-factor.md).

Devices and throttling are django-otp's: a TOTPDevice per person (unconfirmed until a correct code is
typed) and a StaticDevice holding ten one-time recovery codes. Every change is audited.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import credentials, scoping
from accounts.models import Role
from audit.log import record
from audit.models import Result

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "动态口令"
RECOVERY_DEVICE_NAME = "恢复码"
TOTP_PATTERN = re.compile(r"^\d{6}$")
RECOVERY_PATTERN = re.compile(r"^[a-z2-7]{8}$")

WRONG_CODE = "动态验证码不正确。请输入手机验证器中当前显示的 6 位数字；手机不在身边时，可输入一个恢复码。"
WRONG_ENROL_CODE = "验证码不正确。请确认已扫描本页二维码，并输入验证器中当前显示的 6 位数字。"
EMPTY_CODE = "请填写动态验证码。"


def is_required(user) -> bool:
    """Every staff role must use the second factor (等保 三级); a 申报单位 may opt in."""
    return user.is_authenticated and user.role != Role.APPLICANT


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_enrolled(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_step(user) -> bool:
    """A signed-in session that must still pass (or set up) the second factor before anything else."""
    if not user.is_authenticated or user.is_verified():
        return False
    return is_required(user) or is_enrolled(user)


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment ---


@dataclass
class Enrolment:
    """What the enrolment page shows: the QR code and the same key typed by hand."""

    device: TOTPDevice
    qr_data_uri: str
    secret_groups: str


def pending_enrolment(user) -> Enrolment:
    """The unconfirmed device for this person, made once and kept until confirmed, so reloading the
    page never changes the QR code someone may already have scanned."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    qr = segno.make(device.config_url, error="m")
    secret = b32encode(device.bin_key).decode()
    groups = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return Enrolment(device=device, qr_data_uri=qr.svg_data_uri(scale=5, border=2), secret_groups=groups)


@dataclass
class Outcome:
    """The result of checking a code: `error` is the message to show next to the field."""

    ok: bool
    error: str = ""
    device: object = None
    recovery_codes: tuple = ()
    recovery_left: int | None = None  # set when a recovery code was used
    current_refused: bool = False  # the old authenticator's code was the wrong one


def confirm_enrolment(request, token, current_token=None) -> Outcome:
    """Confirm the pending device with a correct code; replace any earlier device, issue fresh recovery
    codes and mark this session as verified. Replacing a bound authenticator (a new phone) also needs the
    old one's current code, or one recovery code when the old phone is lost: a session left open is not
    enough to move the second factor to another phone."""
    user = request.user
    token = normalise(token)
    if not token:
        return Outcome(False, EMPTY_CODE)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            return Outcome(False, "绑定页面已过期，请刷新页面后重新扫描二维码。")
        was_enrolled = is_enrolled(user)
        before_current = transaction.savepoint()
        if was_enrolled:
            refused = _check_current_code(request, "enrol", current_token, allow_recovery=True)
            if refused:
                return Outcome(False, refused.error, current_refused=True)
        throttled = _throttle_message(device)
        if throttled or not device.verify_token(token):
            if was_enrolled:
                # Only the new code was wrong: give the old phone's code (or recovery code) back, but
                # keep counting the wrong new code.
                transaction.savepoint_rollback(before_current)
                if not throttled:
                    TOTPDevice.objects.get(pk=device.pk).throttle_increment()
            return _refused(request, "enrol", throttled, WRONG_ENROL_CODE, device)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_recovery_codes(user)
        record("otp_enrol", request=request, obj=user, detail={"replaced": was_enrolled})
    _mark_verified(request, device)
    return Outcome(True, device=device, recovery_codes=codes)


CURRENT_CODE_WRONG = "动态验证码不正确，请输入手机验证器中当前显示的 6 位数字。"
CURRENT_OR_RECOVERY_WRONG = (
    "当前动态验证码不正确。请输入原手机验证器中当前显示的 6 位数字；原手机已丢失时，可输入一个恢复码。"
)


def _check_current_code(request, step, token, allow_recovery=False) -> Outcome | None:
    """A change to the second factor itself is confirmed with the bound authenticator's current code
    (or, where allowed, a recovery code, which is then used up); None when right, else the refusal."""
    user = request.user
    token = normalise(token)
    if not token:
        return Outcome(False, EMPTY_CODE)
    if TOTP_PATTERN.match(token) or not allow_recovery:
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        plausible = bool(TOTP_PATTERN.match(token))
    else:
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        plausible = bool(RECOVERY_PATTERN.match(token))
    message = CURRENT_OR_RECOVERY_WRONG if allow_recovery else CURRENT_CODE_WRONG
    if device is None:
        return _refused(request, step, "", message)
    throttled = _throttle_message(device)
    if throttled or not plausible or not device.verify_token(token):
        if not throttled and not plausible:
            device.throttle_increment()
        return _refused(request, step, throttled, message, device)
    return None


# --- Recovery codes ---


def _issue_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return tuple(format_recovery_code(code) for code in codes)


def format_recovery_code(token):
    return f"{token[:4]}-{token[4:]}"


def check_may_regenerate(user):
    if not is_enrolled(user):
        raise PermissionDenied("尚未绑定动态口令，没有恢复码。")


def regenerate_recovery_codes(request, token) -> Outcome:
    """New codes replace all the old ones, used or not; confirmed with a current 6-digit code and shown
    once to the caller."""
    check_may_regenerate(request.user)
    with transaction.atomic():
        refused = _check_current_code(request, "recovery_codes", token)
        if refused:
            return refused
        codes = _issue_recovery_codes(request.user)
        record("recovery_codes_regenerated", request=request, obj=request.user)
    return Outcome(True, recovery_codes=codes)


# --- Verification at sign-in ---


def normalise(token):
    """What people type: spaces, hyphens, full-width digits and capitals are all accepted."""
    token = (token or "").strip()
    token = token.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
    return re.sub(r"[\s\-－]", "", token).lower()


def verify(request, token) -> Outcome:
    """Check a 6-digit code or a recovery code for the signed-in person and, if right, mark the session
    as verified. django-otp's throttling applies to each device: after each wrong code the next attempt
    must wait twice as long (1, 2, 4 … seconds)."""
    user = request.user
    token = normalise(token)
    if not token:
        return Outcome(False, EMPTY_CODE)
    is_totp = bool(TOTP_PATTERN.match(token))
    with transaction.atomic():
        if is_totp:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        throttled = _throttle_message(device) if device else ""
        plausible = is_totp or RECOVERY_PATTERN.match(token)
        if device is None or throttled or not plausible or not device.verify_token(token):
            if device is not None and not throttled and not plausible:
                device.throttle_increment()
            return _refused(request, "login", throttled, WRONG_CODE, device)
        left = None
        if is_totp:
            record("otp_verify", request=request, obj=user)
        else:
            left = remaining_recovery_codes(user)
            record("otp_recovery_used", request=request, obj=user, detail={"remaining": left})
    _mark_verified(request, device)
    return Outcome(True, device=device, recovery_left=left)


# django-otp doubles the wait after each wrong code with no practical cap; once it passes this, the
# person is in effect locked out of the second step and the 审计管理员 should see it (otp_lockout).
LOCKOUT_AUDIT_SECONDS = 15 * 60


def _refused(request, step, throttled, wrong_code_message, device=None) -> Outcome:
    """A wrong or throttled code at `step` (enrol / login / disable …): audited, and the message to show."""
    reason = "throttled" if throttled else "wrong_code"
    record(
        "otp_failed", request=request, obj=request.user, result=Result.FAILURE, detail={"step": step, "reason": reason}
    )
    if device is not None and not throttled:
        _record_lockout(request, step, device)
    return Outcome(False, throttled or wrong_code_message)


def _record_lockout(request, step, device):
    """Audit the wrong code that makes the next wait longer than LOCKOUT_AUDIT_SECONDS (once per run)."""
    count = device.throttling_failure_count
    if count < 1 or not device.throttling_enabled:
        return
    factor = device.get_throttle_factor()
    wait, before = factor * 2 ** (count - 1), factor * 2 ** (count - 2) if count > 1 else 0
    if wait > LOCKOUT_AUDIT_SECONDS >= before:
        detail = {"step": step, "failures": count, "wait_seconds": wait}
        record("otp_lockout", request=request, obj=request.user, result=Result.FAILURE, detail=detail)


def _throttle_message(device):
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    wait = 1
    if data and data.get("locked_until"):
        wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
    return f"验证码错误次数过多，请 {wait} 秒后再试。"


def _mark_verified(request, device):
    # A new session key once the person is fully signed in, as Django does at the password step.
    request.session.cycle_key()
    django_otp.login(request, device)


# --- Disabling and resetting ---


def check_may_disable(user):
    """A 申报单位 may switch its own second factor off; staff may not (403)."""
    if is_required(user):
        raise PermissionDenied("工作人员账号必须使用动态口令，不能停用。")
    if not is_enrolled(user):
        raise PermissionDenied("尚未启用动态口令。")


def disable(request, token) -> Outcome:
    """Switch the 申报单位's own second factor off, confirmed with a current 6-digit code."""
    user = request.user
    check_may_disable(user)
    with transaction.atomic():
        refused = _check_current_code(request, "disable", token)
        if refused:
            return refused
        _remove_devices(user)
        record("otp_disable", request=request, obj=user)
    return Outcome(True)


def reset(request, account):
    """The 系统管理员 removes a business account's devices (a lost phone); the person binds a new one at
    the next sign-in, or, for a 申报单位, may choose to. 三员分立: never an operator's account."""
    if not scoping.may_manage_account(request.user, account):
        raise PermissionDenied("三员分立：系统管理员不能操作管理员账号。")
    with transaction.atomic():
        had_device = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
        _remove_devices(account)
        record("otp_reset", request=request, obj=account, detail={"had_device": had_device})
        credentials.send_security_notice(
            account, credentials.Contact.of(account), "系统管理员重置了您的动态口令，下次登录时须重新绑定"
        )


def reset_operator(account, reason):
    """An operator who lost both phone and recovery codes: reset by whoever runs the server's shell
    (`manage.py reset_operator_second_factor`), as operators are created there too; audited."""
    if not account.is_operator:
        raise PermissionDenied("业务账号的动态口令由系统管理员在网页上重置。")
    with transaction.atomic():
        had_device = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
        _remove_devices(account)
        record("otp_reset", obj=account, detail={"had_device": had_device, "by": "shell", "reason": reason})


def _remove_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()

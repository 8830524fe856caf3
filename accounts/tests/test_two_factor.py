import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Role
from audit.log import ACTION_LABELS
from audit.models import AuditEntry, Result
from tests import factories, otp

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
SECURITY = reverse("accounts:two_factor")
HOME = reverse("portal:home")
STAFF = [Role.BUREAU, Role.DEPARTMENT, Role.EXPERT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
# Pages of every kind a half-signed-in session must not reach.
GUARDED = [
    reverse("reviews:inbox"),
    reverse("audit:list"),
    reverse("accounts:account_list"),
    reverse("accounts:password_change"),
    SECURITY,
    HOME,
]


def password_login(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302, "the password step should succeed"
    return response


def enrolled(role, client, **fields):
    """A person who has bound an authenticator, signed out again."""
    user = factories.user(role, **fields)
    password_login(client, user)
    if not two_factor.is_required(user):
        client.get(SETUP)
    otp.enrol(client, user)
    client.post(reverse("accounts:logout"))
    return user


def actions(user):
    return list(AuditEntry.objects.filter(user=user).order_by("seq").values_list("action", "result"))


def error_of(response):
    return response.context["form"].errors["code"][0]


# --- Who must use it, and what a password alone reaches ---


@pytest.mark.password_only
@pytest.mark.parametrize("role", STAFF)
def test_staff_signed_in_with_a_password_only_are_sent_to_bind_an_authenticator(client, role):
    user = factories.user(role)
    client.force_login(user)
    for url in GUARDED:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    assert client.get(reverse("reviews:inbox"))["Location"] == f"{SETUP}?next=%2Freviews%2F"
    assert client.get(SETUP).status_code == 200


@pytest.mark.password_only
def test_a_password_only_session_reaches_the_second_factor_pages_logout_and_static_files(client):
    client.force_login(factories.user(Role.BUREAU))
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/css/two-factor.css").status_code == 200
    post = client.post(reverse("accounts:recovery_codes_regenerate"))
    assert post.status_code == 302 and post["Location"].startswith(SETUP)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME).status_code == 200  # signed out: the public landing page


@pytest.mark.password_only
def test_background_requests_of_a_password_only_session_are_told_where_to_go(client):
    client.force_login(factories.user(Role.DEPARTMENT))
    response = client.get(reverse("reviews:inbox"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == SETUP


def test_the_test_clients_force_login_completes_the_second_factor_with_the_users_own_device(client):
    user = factories.user(Role.EXPERT)
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("reviews:expert_tasks")).status_code == 200


def test_applicant_without_a_second_factor_signs_in_with_its_password(client, applicant):
    password_login(client, applicant)
    assert client.get(HOME).status_code == 200
    assert "启用动态口令" in client.get(SECURITY).content.decode()


def test_the_second_factor_comes_before_the_forced_password_change(client):
    user = factories.user(Role.BUREAU, must_change_password=True)
    password_login(client, user)
    assert client.get(HOME)["Location"].startswith(SETUP)
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(SETUP)
    otp.enrol(client, user)
    assert client.get(HOME)["Location"] == reverse("accounts:password_change")


# --- Enrolment ---


def test_enrolment_shows_a_qr_code_and_the_key_for_typing_by_hand(client):
    user = factories.user(Role.BUREAU)
    password_login(client, user)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert '<img src="data:image/svg+xml' in page
    assert otp.secret_from_page(page) == device.bin_key
    assert "issuer=%E5%86%85%E8%92%99%E5%8F%A4" in device.config_url  # 内蒙古…
    # Reloading keeps the same key, so a code scanned before the reload still works.
    assert otp.secret_from_page(client.get(SETUP).content.decode()) == device.bin_key


def test_enrolment_needs_a_correct_code_and_a_wrong_one_is_refused_in_chinese_and_audited(client):
    user = factories.user(Role.DEPARTMENT)
    password_login(client, user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000" if otp.code_for(user, confirmed=False) != "000000" else "111111"})
    assert response.status_code == 200
    assert error_of(response) == two_factor.WRONG_ENROL_CODE
    assert two_factor.WRONG_ENROL_CODE in response.content.decode()
    assert not two_factor.is_enrolled(user)
    assert ("otp_failed", Result.FAILURE) in actions(user)
    assert client.get(HOME)["Location"].startswith(SETUP)

    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_timestamp -= timedelta(seconds=5)  # past the one-second wait
    device.save()
    response = client.post(SETUP, {"code": otp.code_for(user, confirmed=False)})
    assert response.status_code == 200
    codes = otp.recovery_codes(response)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert "我已妥善保存" in response.content.decode()
    assert two_factor.is_enrolled(user)
    assert ("otp_enrol", Result.SUCCESS) in actions(user)
    assert client.get(HOME).status_code == 200


def test_an_empty_code_says_what_to_fill_in(client):
    password_login(client, factories.user(Role.EXPERT))
    client.get(SETUP)
    assert error_of(client.post(SETUP, {"code": ""})) == "请填写动态验证码。"


# --- The code step at sign-in ---


def test_an_enrolled_person_must_type_a_code_after_the_password(client):
    user = enrolled(Role.EXPERT, client)
    password_login(client, user)
    response = client.get(reverse("reviews:expert_tasks"))
    assert response["Location"] == f"{VERIFY}?next={reverse('reviews:expert_tasks').replace('/', '%2F')}"
    wrong = client.post(VERIFY, {"code": "12345"})
    assert error_of(wrong) == two_factor.WRONG_CODE
    assert two_factor.WRONG_CODE in wrong.content.decode()
    assert actions(user)[-1] == ("otp_failed", Result.FAILURE)

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(VERIFY, {"code": otp.code_for(user), "next": reverse("reviews:expert_tasks")})
    assert response.status_code == 302 and response["Location"] == reverse("reviews:expert_tasks")
    assert client.get(reverse("reviews:expert_tasks")).status_code == 200
    assert actions(user)[-1] == ("otp_verify", Result.SUCCESS)


def test_the_code_step_refuses_a_next_address_on_another_site(client):
    user = enrolled(Role.BUREAU, client)
    password_login(client, user)
    response = client.post(VERIFY, {"code": otp.code_for(user), "next": "https://evil.example.com/"})
    assert response["Location"] == HOME


def test_a_recovery_code_signs_in_once_and_not_twice(client):
    user = factories.user(Role.BUREAU)
    password_login(client, user)
    codes = otp.recovery_codes(otp.enrol(client, user))
    client.post(reverse("accounts:logout"))

    password_login(client, user)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == two_factor.RECOVERY_CODE_COUNT - 1
    assert actions(user)[-1] == ("otp_recovery_used", Result.SUCCESS)
    client.post(reverse("accounts:logout"))

    password_login(client, user)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and error_of(again) == two_factor.WRONG_CODE
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_regenerating_recovery_codes_invalidates_the_old_ones(client):
    user = factories.user(Role.DEPARTMENT)
    password_login(client, user)
    old = otp.recovery_codes(otp.enrol(client, user))
    response = client.post(reverse("accounts:recovery_codes_regenerate"), {"regenerate-code": otp.code_for(user)})
    new = otp.recovery_codes(response)
    assert len(new) == two_factor.RECOVERY_CODE_COUNT and not set(new) & set(old)
    assert actions(user)[-1] == ("recovery_codes_regenerated", Result.SUCCESS)
    client.post(reverse("accounts:logout"))

    password_login(client, user)
    assert error_of(client.post(VERIFY, {"code": old[1]})) == two_factor.WRONG_CODE
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": new[1]}).status_code == 302


def test_repeated_wrong_codes_are_throttled_even_when_the_next_code_is_right(client):
    user = enrolled(Role.AUDIT_ADMIN, client)
    password_login(client, user)
    device = TOTPDevice.objects.get(user=user)
    for _ in range(3):
        client.post(VERIFY, {"code": "000001"})
        device.refresh_from_db()
        device.throttling_failure_timestamp -= timedelta(seconds=60)  # let the next attempt be checked
        device.save()
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    assert device.throttling_failure_count == 3
    response = client.post(VERIFY, {"code": otp.code_for(user)})
    assert response.status_code == 200
    assert error_of(response) == "验证码错误次数过多，请 4 秒后再试。"
    assert AuditEntry.objects.filter(user=user, action="otp_failed").latest("seq").detail["reason"] == "throttled"
    assert client.get(HOME)["Location"].startswith(VERIFY)
    # Once the wait (4 s after the third failure) is over, the right code is accepted.
    device.throttling_failure_timestamp -= timedelta(seconds=5)
    device.save()
    assert client.post(VERIFY, {"code": otp.code_for(user)}).status_code == 302


# --- Applicants opt in and may opt out; staff may not ---


def test_applicant_may_opt_in_and_is_then_asked_for_a_code(client, applicant):
    password_login(client, applicant)
    otp.enrol(client, applicant)
    assert ("otp_enrol", Result.SUCCESS) in actions(applicant)
    client.post(reverse("accounts:logout"))
    password_login(client, applicant)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": otp.code_for(applicant)}).status_code == 302
    assert client.get(HOME).status_code == 200


def test_applicant_can_switch_its_second_factor_off_with_a_current_code(client, applicant):
    password_login(client, applicant)
    otp.enrol(client, applicant)
    wrong = client.post(SECURITY, {"disable-code": "000000" if otp.code_for(applicant) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["disable_form"].errors["code"] == ["动态验证码不正确，请输入手机验证器中当前显示的 6 位数字。"]
    assert "动态验证码不正确" in wrong.content.decode()
    assert two_factor.is_enrolled(applicant)
    TOTPDevice.objects.filter(user=applicant).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    response = client.post(SECURITY, {"disable-code": otp.code_for(applicant)})
    assert response.status_code == 302
    assert not two_factor.is_enrolled(applicant) and two_factor.remaining_recovery_codes(applicant) == 0
    assert actions(applicant)[-1] == ("otp_disable", Result.SUCCESS)
    client.post(reverse("accounts:logout"))
    password_login(client, applicant)
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("role", [Role.BUREAU, Role.SYSTEM_ADMIN])
def test_staff_cannot_switch_their_second_factor_off(client, role):
    user = factories.user(role)
    client.force_login(user)
    response = client.post(SECURITY, {"disable-code": otp.code_for(user)})
    assert response.status_code == 403
    assert two_factor.is_enrolled(user)
    assert "停用动态口令" not in client.get(SECURITY).content.decode()


# --- The 系统管理员's reset ---


@pytest.mark.parametrize("role", [Role.BUREAU, Role.DEPARTMENT, Role.EXPERT, Role.APPLICANT])
def test_system_admin_reset_makes_the_person_bind_again_and_is_audited(client, role):
    other = Client()
    user = enrolled(role, other)
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    assert "重置动态口令" in client.get(reverse("accounts:account_detail", args=[user.pk])).content.decode()
    response = client.post(reverse("accounts:account_action", args=[user.pk, "reset-2fa"]))
    assert response.status_code == 302
    assert not two_factor.is_enrolled(user) and two_factor.remaining_recovery_codes(user) == 0
    entry = AuditEntry.objects.filter(action="otp_reset").latest("seq")
    assert entry.user == admin and entry.object_id == str(user.pk) and entry.detail == {"had_device": True}

    password_login(other, user)
    if role == Role.APPLICANT:
        assert other.get(HOME).status_code == 200  # back to the password alone, may opt in again
    else:
        assert other.get(HOME)["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN])
def test_system_admin_cannot_reset_an_operators_second_factor(client, role):
    admin = factories.user(Role.SYSTEM_ADMIN)
    operator = admin if role == Role.SYSTEM_ADMIN else factories.user(role)
    client.force_login(operator)  # binds the operator's authenticator
    client.force_login(admin)
    response = client.post(reverse("accounts:account_action", args=[operator.pk, "reset-2fa"]))
    assert response.status_code in (403, 404)
    assert two_factor.is_enrolled(operator)
    assert not AuditEntry.objects.filter(action="otp_reset").exists()


def test_an_operator_who_lost_the_phone_is_reset_only_from_the_servers_shell(client):
    operator = factories.user(Role.AUDIT_ADMIN)
    client.force_login(operator)  # binds the operator's authenticator
    call_command(
        "reset_operator_second_factor", username=operator.username, reason="工单 2026-118", stdout=io.StringIO()
    )
    assert not two_factor.is_enrolled(operator)
    entry = AuditEntry.objects.get(action="otp_reset")
    assert entry.object_id == str(operator.pk) and entry.detail["reason"] == "工单 2026-118"
    assert entry.detail["by"] == "shell"


def test_the_shell_reset_is_for_operators_only_business_accounts_go_through_the_system_admin():
    bureau = factories.user(Role.BUREAU)
    with pytest.raises(CommandError, match="系统管理员"):
        call_command("reset_operator_second_factor", username=bureau.username, reason="x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="不存在"):
        call_command("reset_operator_second_factor", username="nobody", reason="x", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(action="otp_reset").exists()


def test_only_the_system_admin_may_reset(client):
    user = enrolled(Role.BUREAU, client)
    client.force_login(factories.user(Role.SECURITY_ADMIN))
    assert client.post(reverse("accounts:account_action", args=[user.pk, "reset-2fa"])).status_code == 403
    assert two_factor.is_enrolled(user)


# --- 账号安全 ---


def test_the_security_page_shows_the_state_and_the_recovery_codes_left(client):
    user = factories.user(Role.BUREAU)
    password_login(client, user)
    codes = otp.recovery_codes(otp.enrol(client, user))
    client.post(reverse("accounts:logout"))
    password_login(client, user)
    client.post(VERIFY, {"code": codes[0]})
    page = client.get(SECURITY).content.decode()
    assert "已启用" in page and "剩余 9 个（共 10 个）" in page
    assert "绑定新手机" in page and "重新生成恢复码" in page
    assert f'href="{SECURITY}"' in client.get(HOME).content.decode()  # linked from the user menu


def test_binding_a_new_phone_replaces_the_old_authenticator(client):
    user = factories.user(Role.EXPERT)
    password_login(client, user)
    otp.enrol(client, user)
    old_key = TOTPDevice.objects.get(user=user).bin_key
    otp.enrol(client, user)
    devices = TOTPDevice.objects.filter(user=user)
    assert devices.count() == 1 and devices.get().confirmed and devices.get().bin_key != old_key
    assert AuditEntry.objects.filter(user=user, action="otp_enrol").latest("seq").detail == {"replaced": True}


def test_binding_a_new_phone_needs_the_old_phone_s_code_or_a_recovery_code(client):
    user = factories.user(Role.EXPERT)
    password_login(client, user)
    codes = otp.recovery_codes(otp.enrol(client, user))
    old_key = TOTPDevice.objects.get(user=user, confirmed=True).bin_key
    page = client.get(SETUP).content.decode()
    new_code = otp.code_for_key(otp.secret_from_page(page))
    for current in ("", "000000" if otp.code_for(user) != "000000" else "111111"):
        response = client.post(SETUP, {"code": new_code, "current_code": current})
        assert response.status_code == 200
        assert response.context["form"].errors["current_code"]
        assert TOTPDevice.objects.get(user=user, confirmed=True).bin_key == old_key
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    # The old phone is lost: a recovery code stands in for it, and is used up.
    response = client.post(SETUP, {"code": new_code, "current_code": codes[0]})
    assert "您的恢复码" in response.content.decode()
    assert TOTPDevice.objects.get(user=user, confirmed=True).bin_key != old_key


def test_regenerating_recovery_codes_needs_a_current_code(client):
    user = factories.user(Role.BUREAU)
    password_login(client, user)
    old = otp.recovery_codes(otp.enrol(client, user))
    wrong = "000000" if otp.code_for(user) != "000000" else "111111"
    for code in ("", wrong):
        response = client.post(reverse("accounts:recovery_codes_regenerate"), {"regenerate-code": code})
        assert response.status_code == 200 and response.context["regenerate_form"].errors["code"]
        assert not otp.recovery_codes(response)
    stored = {
        two_factor.format_recovery_code(t)
        for t in StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    }
    assert stored == set(old)
    assert ("recovery_codes_regenerated", Result.SUCCESS) not in actions(user)


def test_the_continue_link_after_binding_goes_to_the_home_page_without_a_next(client):
    user = factories.user(Role.EXPERT)
    password_login(client, user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": otp.code_for(user, confirmed=False)})
    assert f'href="{HOME}"' in response.content.decode()
    assert 'href="portal:home"' not in response.content.decode()


def test_audit_codes_have_chinese_labels():
    for code in (
        "otp_enrol",
        "otp_verify",
        "otp_failed",
        "otp_recovery_used",
        "otp_disable",
        "otp_reset",
        "recovery_codes_regenerated",
    ):
        assert code in ACTION_LABELS


@pytest.mark.password_only
def test_the_code_step_sends_on_whoever_has_nothing_to_type(client, applicant):
    client.force_login(applicant)
    assert client.get(VERIFY)["Location"] == HOME  # no authenticator, none required
    client.force_login(factories.user(Role.EXPERT))
    assert client.get(VERIFY)["Location"] == SETUP  # must bind one first


def test_the_wrong_code_that_makes_the_wait_exceed_fifteen_minutes_is_audited_once(client):
    user = enrolled(Role.DEPARTMENT, client)
    password_login(client, user)
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if otp.code_for(user) != "000000" else "111111"
    for failures in (9, 10, 11):  # the next waits: 512 s, then 1024 s (over 15 minutes), then 2048 s
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_count=failures, throttling_failure_timestamp=timezone.now() - timedelta(days=1)
        )
        client.post(VERIFY, {"code": wrong})
    (entry,) = AuditEntry.objects.filter(user=user, action="otp_lockout")
    assert entry.detail == {"step": "login", "failures": 11, "wait_seconds": 1024}
    assert ACTION_LABELS["otp_lockout"]

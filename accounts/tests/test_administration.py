import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.administration import temporary_password
from accounts.models import Role, User
from accounts.validators import CharacterClassValidator
from audit.models import AuditEntry
from notifications.tests.test_service import RecordingSender
from regions.models import Region
from tests.factories import PASSWORD


@pytest.fixture
def sysadmin_client(client, make_user):
    client.force_login(make_user(Role.SYSTEM_ADMIN))
    return client


def staff_form(**overrides):
    data = {
        "username": "chifeng01",
        "full_name": "赤峰审核员",
        "role": Role.BUREAU,
        "region": Region.objects.get(code="150400").pk,
        "affiliation": "",
        "mobile": "13904760001",
        "email": "cf@example.com",
    }
    data.update(overrides)
    return data


def test_temporary_passwords_pass_the_policy_and_differ():
    passwords = {temporary_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        assert len(password) >= 12
        CharacterClassValidator(4).validate(password)


@pytest.fixture
def recorded_sms(settings):
    settings.SHENBAO_SMS_SENDER = "notifications.tests.test_service.RecordingSender"
    RecordingSender.sent = []
    return RecordingSender.sent


def _password_in(text):
    match = re.search(r"临时密码[：\s]*(\S{14})", text)
    return match.group(1).rstrip("，")


@pytest.mark.django_db
def test_system_admin_creates_a_bureau_account_whose_password_only_the_holder_receives(
    sysadmin_client, mailoutbox, recorded_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin_client.post(reverse("accounts:account_create"), staff_form())
    assert response.status_code == 200
    account = User.objects.get(username="chifeng01")
    assert account.role == Role.BUREAU and account.region.code == "150400"
    assert account.must_change_password
    (mail,) = mailoutbox
    assert mail.to == ["cf@example.com"]
    password = _password_in(mail.body)
    assert account.check_password(password)
    ((mobile, text),) = recorded_sms
    assert mobile == "13904760001" and password in text
    page = response.content.decode()
    assert password not in page and "password" not in response.context
    assert "139****0001" in page and "系统管理员看不到这个密码" in page


@pytest.mark.django_db
def test_reset_password_is_sent_to_the_holder_and_never_shown_to_the_admin(
    sysadmin_client, make_user, mailoutbox, recorded_sms, django_capture_on_commit_callbacks
):
    target = make_user(Role.EXPERT, mobile="13904760002")
    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "reset-password"]))
    (mail,) = mailoutbox
    password = _password_in(mail.body)
    target.refresh_from_db()
    assert target.check_password(password)
    assert recorded_sms[0][0] == "13904760002" and password in recorded_sms[0][1]
    assert password not in response.content.decode()
    entry = AuditEntry.objects.filter(action="password_reset").latest("seq")
    assert password not in str(entry.detail)


@pytest.mark.django_db
def test_reset_password_is_refused_for_an_account_without_mobile_or_email(
    sysadmin_client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    target = make_user(Role.EXPERT)
    User.objects.filter(pk=target.pk).update(email="", mobile="")
    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "reset-password"]))
    assert response.status_code == 400
    assert "该账号未登记手机号码和电子邮箱，无法发送临时密码，请先补全联系方式" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.must_change_password
    assert mailoutbox == [] and not AuditEntry.objects.filter(action="password_reset").exists()


@pytest.mark.django_db
def test_holder_is_told_at_the_old_contact_when_the_admin_changes_it_or_resets_the_second_factor(
    sysadmin_client, make_user, mailoutbox, recorded_sms, django_capture_on_commit_callbacks
):
    target = make_user(Role.EXPERT, mobile="13904760003")
    url = reverse("accounts:account_detail", args=[target.pk])
    form = staff_form(username=target.username, role=Role.EXPERT, region="", mobile="13904769999", email="x@evil.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert sysadmin_client.post(url, form).status_code == 302
    assert [m.to for m in mailoutbox] == [["user@example.com"]]
    assert "修改了您登记的手机号码或电子邮箱" in mailoutbox[0].body
    assert [mobile for mobile, _ in recorded_sms] == ["13904760003"]

    mailoutbox.clear()
    recorded_sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "reset-2fa"]))
    assert [m.to for m in mailoutbox] == [["x@evil.test"]]
    assert "重置了您的动态口令" in mailoutbox[0].body
    assert [mobile for mobile, _ in recorded_sms] == ["13904769999"]


@pytest.mark.django_db
def test_bureau_account_needs_a_region(sysadmin_client):
    response = sysadmin_client.post(reverse("accounts:account_create"), staff_form(region=""))
    assert response.context["form"].errors["region"] == ["盟市工信局账号必须选择所属盟市。"]
    assert not User.objects.filter(username="chifeng01").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.APPLICANT])
def test_web_form_cannot_create_operator_or_applicant_accounts(sysadmin_client, role):
    response = sysadmin_client.post(reverse("accounts:account_create"), staff_form(role=role))
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="chifeng01").exists()


@pytest.mark.django_db
def test_duplicate_username_is_refused(sysadmin_client, make_user):
    existing = make_user(Role.EXPERT)
    response = sysadmin_client.post(reverse("accounts:account_create"), staff_form(username=existing.username))
    assert "username" in response.context["form"].errors


@pytest.mark.django_db
def test_reset_password_forces_a_change_and_unlocks(
    sysadmin_client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    target = make_user(Role.EXPERT)
    AccessAttempt.objects.create(username=target.username, failures_since_start=5, ip_address="127.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "reset-password"]))
    target.refresh_from_db()
    assert target.check_password(_password_in(mailoutbox[0].body))
    assert not target.check_password(PASSWORD)
    assert target.must_change_password
    assert not AccessAttempt.objects.filter(username=target.username).exists()


@pytest.mark.django_db
def test_disabled_account_cannot_sign_in_until_enabled(sysadmin_client, client, make_user):
    target = make_user(Role.DEPARTMENT)
    sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "disable"]))
    target.refresh_from_db()
    assert not target.is_active

    from django.test import Client

    other = Client()
    response = other.post(reverse("accounts:login"), {"username": target.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in other.session

    sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "enable"]))
    response = other.post(reverse("accounts:login"), {"username": target.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_unlock_clears_a_lockout(sysadmin_client, make_user):
    target = make_user(Role.APPLICANT)
    AccessAttempt.objects.create(username=target.username, failures_since_start=5, ip_address="127.0.0.1")
    sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "unlock"]))
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
@pytest.mark.parametrize("action", ["reset-password", "unlock", "disable"])
def test_system_admin_cannot_touch_operator_accounts(sysadmin_client, make_user, role, action):
    target = make_user(role)
    response = sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, action]))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)


@pytest.mark.django_db
def test_unknown_action_changes_nothing(sysadmin_client, make_user):
    target = make_user(Role.EXPERT)
    assert sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "promote"])).status_code == 403
    target.refresh_from_db()
    assert target.role == Role.EXPERT and target.is_active and target.check_password(PASSWORD)


@pytest.mark.django_db
def test_account_actions_need_post(sysadmin_client, make_user):
    target = make_user(Role.EXPERT)
    assert sysadmin_client.get(reverse("accounts:account_action", args=[target.pk, "disable"])).status_code == 405


@pytest.mark.django_db
def test_system_admin_edits_a_staff_account_but_not_its_username(sysadmin_client, make_user):
    target = make_user(Role.EXPERT)
    url = reverse("accounts:account_detail", args=[target.pk])
    response = sysadmin_client.post(
        url, staff_form(username="renamed", role=Role.EXPERT, region="", affiliation="内蒙古大学")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.username != "renamed" and target.affiliation == "内蒙古大学"


@pytest.mark.django_db
def test_create_operator_command_makes_an_operator_with_a_checked_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Audit#Admin2024\n"))
    call_command("create_operator", role="audit_admin", username="audit2", full_name="审计员", stdout=io.StringIO())
    operator = User.objects.get(username="audit2")
    assert operator.role == Role.AUDIT_ADMIN and operator.check_password("Audit#Admin2024")

    monkeypatch.setattr("sys.stdin", io.StringIO("weakpass\n"))
    with pytest.raises(CommandError, match="至少3类"):
        call_command("create_operator", role="security_admin", username="sec2", full_name="安全员")
    assert not User.objects.filter(username="sec2").exists()

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.administration import temporary_password
from accounts.models import Role, User
from accounts.validators import CharacterClassValidator
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


@pytest.mark.django_db
def test_system_admin_creates_a_bureau_account_with_a_one_time_password(sysadmin_client, client):
    response = sysadmin_client.post(reverse("accounts:account_create"), staff_form())
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="chifeng01")
    assert account.role == Role.BUREAU and account.region.code == "150400"
    assert account.must_change_password
    assert account.check_password(password)


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
def test_reset_password_forces_a_change_and_unlocks(sysadmin_client, make_user):
    target = make_user(Role.EXPERT)
    AccessAttempt.objects.create(username=target.username, failures_since_start=5, ip_address="127.0.0.1")
    response = sysadmin_client.post(reverse("accounts:account_action", args=[target.pk, "reset-password"]))
    target.refresh_from_db()
    assert target.check_password(response.context["password"])
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

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import Role
from shenbao import settings as project_settings
from tests import otp
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(settings, applicant):
    # The suite hashes with MD5 for speed (conftest.py); the project's own settings are what production runs.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    applicant.set_password(PASSWORD)
    assert applicant.password.startswith("argon2$")


@pytest.mark.django_db
def test_correct_password_signs_in(client, applicant):
    response = attempt(client, applicant.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).context["user"] == applicant


@pytest.mark.django_db
def test_wrong_password_gets_a_chinese_message_and_a_warning_about_lockout(client, applicant):
    response = attempt(client, applicant.username, "wrong")
    assert response.status_code == 200
    assert "账号或密码错误" in response.content.decode()
    assert "锁定30分钟" in response.content.decode()


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, applicant):
    for _ in range(4):
        assert attempt(client, applicant.username, "wrong").status_code == 200
    locked = attempt(client, applicant.username, "wrong")
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    right = attempt(client, applicant.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_per_account_not_per_address(client, applicant, make_user):
    other = make_user(Role.APPLICANT)
    for _ in range(5):
        attempt(client, applicant.username, "wrong")
    assert attempt(client, other.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_lock_lifts_after_thirty_minutes(client, applicant):
    for _ in range(5):
        attempt(client, applicant.username, "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=29))
    assert attempt(client, applicant.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31))
    assert attempt(client, applicant.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, applicant):
    for _ in range(4):
        attempt(client, applicant.username, "wrong")
    assert attempt(client, applicant.username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, applicant.username, "wrong")
    assert attempt(client, applicant.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)  # four fresh failures did not lock it


def _age_session(client, minutes):
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - minutes * 60
    session.save()


@pytest.mark.django_db
def test_session_idle_for_under_thirty_minutes_stays_signed_in(client, applicant):
    client.force_login(applicant)
    client.get(reverse("portal:home"))
    _age_session(client, 29)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert response.context["user"] == applicant


@pytest.mark.django_db
def test_session_idle_for_over_thirty_minutes_ends_with_a_message_page(client, applicant):
    client.force_login(applicant)
    client.get(reverse("portal:home"))
    _age_session(client, 31)
    response = client.get(reverse("portal:home"), follow=True)
    assert response.redirect_chain[0][0] == reverse("accounts:session_expired")
    assert "登录已超时" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_expired_htmx_request_is_told_where_to_go(client, applicant):
    client.force_login(applicant)
    client.get(reverse("portal:home"))
    _age_session(client, 31)
    response = client.get(reverse("portal:home"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("accounts:session_expired")


@pytest.mark.django_db
def test_account_created_by_an_administrator_must_change_its_password_first(client, make_user):
    user = make_user(Role.DEPARTMENT, must_change_password=True)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    # The second factor comes first (accounts/middleware.py): bind an authenticator, then the password.
    otp.enrol(client, user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Nmg#Cluster2024", "new_password2": "Nmg#Cluster2024"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Nmg#Cluster2024")
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.django_db
def test_password_change_enforces_the_policy_in_chinese(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "至少3类" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(PASSWORD)


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session

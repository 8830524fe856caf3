from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import PasswordHistory
from audit.models import AuditEntry
from portal.views import _security_policy
from tests.factories import PASSWORD

CHANGE = reverse("accounts:password_change")
HOME = reverse("portal:home")
REUSED = "新密码不能与最近 5 次使用过的密码相同。"
# Six passwords that each pass the complexity rules, oldest first.
SIX = [f"Nmg#Cluster20{n}" for n in range(21, 27)]


def _aged(user, days):
    user.password_changed_at = timezone.now() - timedelta(days=days)
    user.save(update_fields=["password_changed_at"])
    return user


def _change(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def _with_passwords(user, passwords):
    for password in passwords:
        user.set_password(password)
        user.save()
    return user


@pytest.mark.django_db
def test_expired_password_forces_the_change_page_on_every_page_until_changed(client, applicant):
    client.force_login(_aged(applicant, 91))
    for url in (HOME, reverse("accounts:edit_registration"), "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == CHANGE
    assert "您的密码已超过 90 天未修改，请修改密码后继续使用。" in [str(m) for m in get_messages(response.wsgi_request)]

    assert client.get(CHANGE).status_code == 200
    assert client.get("/static/no-such-file.css").status_code == 404  # static is not redirected

    assert _change(client, PASSWORD, SIX[0])["Location"] == HOME
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(action="password_change", user=applicant).count() == 1


@pytest.mark.django_db
def test_expired_password_still_lets_the_user_sign_out(client, applicant):
    client.force_login(_aged(applicant, 91))
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_expired_background_request_is_told_where_to_go(client, applicant):
    client.force_login(_aged(applicant, 91))
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == CHANGE


@pytest.mark.django_db
def test_password_89_days_old_does_not_force_a_change(client, applicant):
    client.force_login(_aged(applicant, 89))
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_max_age_setting_changes_when_a_password_expires(client, applicant, settings):
    settings.SHENBAO_PASSWORD_MAX_AGE_DAYS = 30
    client.force_login(_aged(applicant, 29))
    assert client.get(HOME).status_code == 200
    _aged(applicant, 31)
    response = client.get(HOME)
    assert response["Location"] == CHANGE
    assert "您的密码已超过 30 天未修改，请修改密码后继续使用。" in [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_reusing_the_current_password_is_refused_and_nothing_changes(client, applicant):
    client.force_login(applicant)
    before = applicant.password
    response = _change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.password == before
    assert not PasswordHistory.objects.filter(user=applicant).exists()
    assert not AuditEntry.objects.filter(action="password_change").exists()


@pytest.mark.django_db
def test_fifth_last_password_is_refused_and_sixth_last_accepted(client, applicant):
    _with_passwords(applicant, SIX)  # current is SIX[5]; the last five are SIX[1:]
    client.force_login(applicant)
    history = list(PasswordHistory.objects.filter(user=applicant).values_list("password", flat=True))

    response = _change(client, SIX[5], SIX[1])
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(SIX[5])
    assert list(PasswordHistory.objects.filter(user=applicant).values_list("password", flat=True)) == history

    assert _change(client, SIX[5], SIX[0]).status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password(SIX[0])


@pytest.mark.django_db
def test_history_keeps_only_the_last_five_passwords(applicant):
    _with_passwords(applicant, SIX)
    hashes = list(PasswordHistory.objects.filter(user=applicant).values_list("password", flat=True))
    assert len(hashes) == 5
    assert hashes[0] == applicant.password
    assert [next(p for p in SIX if check_password(p, h)) for h in hashes] == SIX[:0:-1]


@pytest.mark.django_db
def test_history_setting_changes_how_many_passwords_are_refused(client, applicant, settings):
    settings.SHENBAO_PASSWORD_HISTORY = 2
    _with_passwords(applicant, SIX[:3])
    assert PasswordHistory.objects.filter(user=applicant).count() == 2
    client.force_login(applicant)
    assert "新密码不能与最近 2 次使用过的密码相同。" in _change(client, SIX[2], SIX[1]).content.decode()
    assert _change(client, SIX[2], SIX[0]).status_code == 302


@pytest.mark.django_db
def test_security_policy_lists_expiry_and_history():
    policy = dict(_security_policy())
    assert policy["密码有效期"].startswith("90 天")
    assert "最近 5 次" in policy["密码历史"]

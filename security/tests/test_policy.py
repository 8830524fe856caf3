"""The security policy the 安全管理员 sets at /security/: each value takes effect at once, out-of-range
values are refused next to their field in Chinese, every change is audited, and only the 安全管理员
may see or change it."""

import time
import types
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import PasswordHistory, Role
from applications.attachments import AttachmentRejected, add_attachment
from audit.models import AuditEntry
from security import policy
from security.models import SecurityPolicy
from shenbao.lib import process_cache
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = reverse("security:policy")
LOGIN = reverse("accounts:login")
HOME = reverse("portal:home")
DEFAULTS = {
    "login_failure_limit": 5,
    "lockout_minutes": 30,
    "idle_timeout_minutes": 30,
    "password_max_age_days": 90,
    "password_history": 5,
    "upload_max_mb": 20,
}


@pytest.fixture
def security_admin(client):
    admin = factories.user(Role.SECURITY_ADMIN)
    client.force_login(admin)
    return admin


def set_policy(client, **changes):
    """Post the form as the 安全管理员 would: every field, some changed."""
    return client.post(PAGE, {**DEFAULTS, **changes})


def test_the_defaults_come_from_the_settings_until_the_policy_is_saved(settings):
    settings.SHENBAO_LOGIN_FAILURE_LIMIT = 7
    assert not SecurityPolicy.objects.exists()
    assert policy.current().login_failure_limit == 7
    assert policy.current().values() == {**DEFAULTS, "login_failure_limit": 7}


def test_the_security_admin_sees_the_form_with_the_values_in_force(client, security_admin):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert 'name="login_failure_limit"' in response.content.decode()
    assert response.context["form"].initial["login_failure_limit"] == 5


def test_a_lower_failure_limit_locks_the_account_sooner(client, security_admin):
    assert set_policy(client, login_failure_limit=3).status_code == 302
    client.logout()
    person = factories.user(Role.APPLICANT)
    for _ in range(2):
        assert client.post(LOGIN, {"username": person.username, "password": "wrong"}).status_code == 200
    # The failure message states the policy in force, not a fixed number.
    assert "连续输错3次" in client.post(LOGIN, {"username": "nobody", "password": "x"}).content.decode()
    assert client.post(LOGIN, {"username": person.username, "password": "wrong"}).status_code == 429
    assert client.post(LOGIN, {"username": person.username, "password": PASSWORD}).status_code == 429


def test_the_lockout_time_is_the_policy_s(client, security_admin):
    set_policy(client, login_failure_limit=3, lockout_minutes=10)
    client.logout()
    person = factories.user(Role.APPLICANT)
    for _ in range(3):
        client.post(LOGIN, {"username": person.username, "password": "wrong"})
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=9))
    locked = client.post(LOGIN, {"username": person.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "10" in locked.content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=11))
    assert client.post(LOGIN, {"username": person.username, "password": PASSWORD}).status_code == 302


def test_a_shorter_idle_timeout_ends_the_session_sooner(client, security_admin):
    set_policy(client, idle_timeout_minutes=10)
    person = factories.user(Role.APPLICANT)
    client.force_login(person)
    client.get(HOME)
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 11 * 60  # under the default 30, over the new 10
    session.save()
    response = client.get(HOME)
    assert response["Location"] == reverse("accounts:session_expired")
    assert "_auth_user_id" not in client.session
    assert "10 分钟" in client.get(reverse("accounts:session_expired")).content.decode()


def test_a_shorter_password_age_forces_a_change(client, security_admin):
    set_policy(client, password_max_age_days=30)
    person = factories.user(Role.APPLICANT)
    person.password_changed_at = timezone.now() - timedelta(days=31)  # fine under the default 90
    person.save()
    client.force_login(person)
    assert client.get(HOME)["Location"] == reverse("accounts:password_change")


def test_a_longer_password_history_refuses_an_older_password(client, security_admin):
    set_policy(client, password_history=3)
    person = factories.user(Role.APPLICANT)
    for password in ("Nmg#Cluster2021", "Nmg#Cluster2022", "Nmg#Cluster2023"):
        person.set_password(password)
        person.save()
    assert PasswordHistory.objects.filter(user=person).count() == 3
    client.force_login(person)
    change = {"old_password": "Nmg#Cluster2023", "new_password1": "Nmg#Cluster2021", "new_password2": "Nmg#Cluster2021"}
    response = client.post(reverse("accounts:password_change"), change)
    assert "新密码不能与最近 3 次使用过的密码相同。" in response.content.decode()


def test_a_lower_upload_limit_refuses_a_bigger_file(client, security_admin, media):
    set_policy(client, upload_max_mb=1)
    draft = factories.application(factories.user(Role.APPLICANT), factories.open_call())
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(AttachmentRejected, match="1 MB 的上限"):
        add_attachment(draft, "other_evidence", big, draft.organisation.users.get())


def test_the_security_admin_home_shows_the_policy_in_force(client, security_admin):
    set_policy(client, login_failure_limit=4, upload_max_mb=50)
    table = dict(client.get(HOME).context["policy"])
    assert table["登录失败锁定"] == "连续 4 次失败锁定账号"
    assert table["附件大小上限"] == "每个附件不超过 50 MB"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("login_failure_limit", 2, "请填写 3 至 10 之间的整数（单位：次）"),
        ("login_failure_limit", 11, "请填写 3 至 10 之间的整数（单位：次）"),
        ("lockout_minutes", 9, "请填写 10 至 1440 之间的整数（单位：分钟）"),
        ("idle_timeout_minutes", 31, "请填写 5 至 30 之间的整数（单位：分钟）"),
        ("password_max_age_days", 365, "请填写 30 至 180 之间的整数（单位：天）"),
        ("password_history", 2, "请填写 3 至 24 之间的整数（单位：次）"),
        ("upload_max_mb", 101, "请填写 1 至 100 之间的整数（单位：MB）"),
        ("upload_max_mb", "", "请填写单个附件大小上限。"),
    ],
)
def test_out_of_range_values_are_refused_next_to_the_field(client, security_admin, field, value, message):
    typed = {"password_max_age_days": 60, field: value}  # a valid change beside the wrong one
    response = set_policy(client, **typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert list(form.errors) == [field]
    # What was typed stays in the form; nothing was saved or audited.
    assert str(form[field].value()) == str(value)
    assert str(form["password_max_age_days"].value()) == str(typed["password_max_age_days"])
    assert f'id="id_{field}"' in response.content.decode()
    assert not SecurityPolicy.objects.exists()
    assert not AuditEntry.objects.filter(action="setting_change").exists()


def test_every_change_is_audited_with_old_and_new_values(client, security_admin):
    set_policy(client, login_failure_limit=4, idle_timeout_minutes=15)
    entry = AuditEntry.objects.get(action="setting_change")
    assert entry.user == security_admin
    assert entry.role == Role.SECURITY_ADMIN
    assert entry.detail["changes"] == {
        "login_failure_limit": {"old": 5, "new": 4},
        "idle_timeout_minutes": {"old": 30, "new": 15},
    }
    assert entry.detail["labels"]["idle_timeout_minutes"] == "会话空闲超时"
    assert entry.ip == "127.0.0.1"


def test_each_change_moves_the_modification_time(client, security_admin):
    set_policy(client, login_failure_limit=4)
    first = SecurityPolicy.objects.get().updated_at
    set_policy(client, login_failure_limit=6)
    assert SecurityPolicy.objects.get().updated_at > first


def test_other_processes_read_the_new_policy_when_their_copy_ages_out(client, security_admin, monkeypatch):
    clock = types.SimpleNamespace(monotonic=lambda: 1000.0)
    monkeypatch.setattr(process_cache, "time", clock)  # the per-process copies' clock, and only theirs
    policy.forget()  # signing in read the policy already, on the real clock
    assert policy.current().login_failure_limit == 5  # this process caches the defaults
    SecurityPolicy(**{**DEFAULTS, "login_failure_limit": 8}).save()  # another process saved a change
    clock.monotonic = lambda: 1000.0 + policy.TTL_SECONDS - 0.001
    assert policy.current().login_failure_limit == 5
    clock.monotonic = lambda: 1000.0 + policy.TTL_SECONDS
    assert policy.current().login_failure_limit == 8


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SECURITY_ADMIN])
def test_no_other_role_may_see_or_change_the_policy(client, role):
    client.force_login(factories.user(role))
    assert client.get(PAGE).status_code == 403
    assert set_policy(client, login_failure_limit=3).status_code == 403
    assert not SecurityPolicy.objects.exists()


def test_the_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(PAGE)["Location"].startswith(LOGIN)

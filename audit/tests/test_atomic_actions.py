"""审计进程防中断: an action that cannot be audited does not happen. With the audit write failing, a
security-policy change, a workflow transition, a password change and an unlock each leave nothing
behind."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.administration import unlock_account
from accounts.models import Role
from applications import workflow
from applications.models import Transition
from audit.models import AuditEntry
from security.models import SecurityPolicy
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class AuditDown(Exception):
    pass


@pytest.fixture
def audit_fails(monkeypatch):
    """Call it once the scene is set (signing in is audited too): from then on no entry can be written."""

    def refuse(self, *args, **kwargs):
        raise AuditDown("the audit log cannot be written")

    return lambda: monkeypatch.setattr(AuditEntry, "save", refuse)


def test_a_security_policy_change_is_rolled_back(client, audit_fails):
    client.force_login(factories.user(Role.SECURITY_ADMIN))
    values = {
        "login_failure_limit": 4,
        "lockout_minutes": 30,
        "idle_timeout_minutes": 30,
        "password_max_age_days": 90,
        "password_history": 5,
        "upload_max_mb": 20,
    }
    audit_fails()
    with pytest.raises(AuditDown):
        client.post(reverse("security:policy"), values)
    assert not SecurityPolicy.objects.exists()


def test_a_workflow_transition_is_rolled_back(media, call, bureau, audit_fails):
    app = factories.submitted_application("150200")
    status = app.status
    transitions = Transition.objects.count()
    audit_fails()
    with pytest.raises(AuditDown):
        workflow.take(app, "bureau_return", bureau, reason="请补充材料")
    app.refresh_from_db()
    assert app.status == status and Transition.objects.count() == transitions


def test_a_password_change_is_rolled_back(client, audit_fails):
    user = factories.user(Role.EXPERT, must_change_password=True)
    client.force_login(user)
    audit_fails()
    data = {"old_password": PASSWORD, "new_password1": "Xq7#mLp2vR9k", "new_password2": "Xq7#mLp2vR9k"}
    with pytest.raises(AuditDown):
        client.post(reverse("accounts:password_change"), data)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.must_change_password


def test_an_unlock_is_rolled_back(audit_fails):
    user = factories.user(Role.EXPERT)
    AccessAttempt.objects.create(username=user.username, failures_since_start=5, ip_address="127.0.0.1")
    admin = factories.user(Role.SYSTEM_ADMIN)
    audit_fails()
    with pytest.raises(AuditDown):
        unlock_account(user, admin)
    assert AccessAttempt.objects.filter(username=user.username).exists()

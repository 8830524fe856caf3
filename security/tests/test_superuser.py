"""Django's superuser shortcut is off in production: such an account cannot sign in or keep a session,
and `check --deploy` fails while one exists. No Django admin site is mounted."""

import pytest
from django.core.checks import run_checks
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from security.checks import no_superuser_in_production
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def sign_in(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_a_superuser_or_staff_flagged_account_cannot_sign_in_in_production(client, settings, flag):
    settings.PRODUCTION = True
    person = factories.user(Role.APPLICANT, **{flag: True})
    response = sign_in(client, person)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_same_account_signs_in_outside_production(client, settings):
    settings.PRODUCTION = False
    person = factories.user(Role.APPLICANT, is_superuser=True)
    assert sign_in(client, person).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_session_opened_before_the_flag_was_set_ends_in_production(client, settings):
    settings.PRODUCTION = True
    person = factories.user(Role.APPLICANT)
    assert sign_in(client, person).status_code == 302
    person.is_superuser = True
    person.save()
    assert client.get(reverse("portal:home")).context["user"].is_anonymous


def test_check_deploy_fails_while_a_flagged_account_exists_in_production(settings):
    settings.PRODUCTION = True
    factories.user(Role.SYSTEM_ADMIN)
    assert no_superuser_in_production(None) == []
    factories.user(Role.APPLICANT, username="root", is_superuser=True)
    errors = [e for e in run_checks(include_deployment_checks=True, databases=["default"]) if e.id == "security.E001"]
    assert len(errors) == 1
    assert "root" in errors[0].msg


def test_the_check_is_silent_outside_production(settings):
    settings.PRODUCTION = False
    factories.user(Role.APPLICANT, is_superuser=True)
    assert no_superuser_in_production(None) == []


def test_no_django_admin_site_is_mounted(client):
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    assert client.get("/admin/").status_code == 404

"""The health check a load balancer polls: a plain 200 "ok" that needs no database, session or login."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_query_counts")]  # counted queries


def test_health_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    # A proxy must never answer the check from its cache, and the check starts no session.
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_health_also_answers_head_and_refuses_changes(client):
    url = reverse("portal:health")
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_health_is_served_at_the_address_a_load_balancer_is_given(client):
    assert reverse("portal:health") == "/health/"
    assert client.get("/health/").content == b"ok"


def test_health_answers_a_signed_in_applicant_too(client):
    client.force_login(factories.user(Role.APPLICANT))
    response = client.get(reverse("portal:health"))
    assert response.status_code == 200 and response.content == b"ok"

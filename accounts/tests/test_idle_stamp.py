"""The idle-timeout stamp is written at most every STAMP_EVERY_SECONDS, so a signed-in page or autosave does
not rewrite its session row each time (that idle sessions still end: accounts/tests/test_login_security.py)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import LAST_ACTIVITY_KEY, STAMP_EVERY_SECONDS
from accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def _stamp(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds_ago
    session.save()


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_a_request_soon_after_the_last_stamp_leaves_the_session_row_alone(client):
    client.force_login(factories.user(Role.APPLICANT))
    _stamp(client, 2)
    before = client.session[LAST_ACTIVITY_KEY]
    assert _session_writes(client, HOME) == []
    assert client.session[LAST_ACTIVITY_KEY] == before


def test_a_request_after_the_interval_stamps_the_session_again(client):
    client.force_login(factories.user(Role.APPLICANT))
    _stamp(client, STAMP_EVERY_SECONDS + 1)
    before = client.session[LAST_ACTIVITY_KEY]
    assert len(_session_writes(client, HOME)) == 1
    assert client.session[LAST_ACTIVITY_KEY] > before + STAMP_EVERY_SECONDS

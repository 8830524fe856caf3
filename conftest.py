"""Fixtures shared by every app's tests."""

import pytest
from django.core import serializers

from accounts.models import Role
from tests import factories


@pytest.fixture
def make_user(db):
    return factories.user


@pytest.fixture
def make_organisation(db):
    return factories.organisation


@pytest.fixture
def applicant(db):
    return factories.user(Role.APPLICANT)


@pytest.fixture
def bureau(db):
    return factories.user(Role.BUREAU, region_code="150200", full_name="包头审核员")


@pytest.fixture
def call(db):
    return factories.open_call()


@pytest.fixture
def draft(applicant, call):
    """An empty draft application of `applicant` for the open 2024 call."""
    return factories.application(applicant, call)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, removed after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def reference_rows(django_db_setup, django_db_blocker):
    """The rows the data migrations create (the 盟市, the 2024 call), captured before any test runs.

    Transactional tests (the browser tests, a concurrency test) end by flushing the database; they
    put these back from here. Captured at the start, so a flush earlier in the run cannot empty it.
    """
    from calls.models import Call
    from regions.models import Region

    with django_db_blocker.unblock():
        return serializers.serialize("json", [obj for model in (Region, Call) for obj in model.objects.order_by("pk")])

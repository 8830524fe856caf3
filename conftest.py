"""Fixtures shared by every app's tests."""

import pytest

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

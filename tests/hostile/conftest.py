"""Shared fixtures of the hostile-input suite: a signed-in applicant and its draft, and the review fixtures."""

import pytest

# A recommended application, a 自治区 reviewer and an expert, for the pages and exports they feed.
from reviews.tests.conftest import department, expert, recommended, under_review  # noqa: F401


@pytest.fixture
def signed_in(client, applicant, draft):
    client.force_login(applicant)
    return client

"""Fixtures shared by the document tests."""

import pytest

from applications import demo, submission
from tests import factories


@pytest.fixture
def demo_submitted(draft, applicant, settings, tmp_path):
    """The demo's complete 包头 application with its evidence, submitted once as 第1版."""
    settings.MEDIA_ROOT = tmp_path
    draft.data.update(demo.COMPLETE)
    draft.save()
    factories.attach_required(draft, applicant)
    submission.submit(draft, applicant)
    draft.refresh_from_db()
    return draft

"""The review fixtures (reviews/tests/conftest.py), for the tests of what an application's own pages say
about where it stands at each review stage (test_progress.py, test_overview_standing.py)."""

from reviews.tests.conftest import expert, recommended, under_review  # noqa: F401

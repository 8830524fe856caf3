"""Many submitted applications made in bulk (bench/summary.py), with their figures indexed as a submission would."""

import pytest


@pytest.fixture
def generate(monkeypatch):
    """generate(n) -> (call, ids): bulk_create skips the signal that indexes a new version's figures, so rebuild."""
    # bench/summary.py points SHENBAO_VAR_DIR at a throwaway folder when imported: undone after the test.
    monkeypatch.delenv("SHENBAO_VAR_DIR", raising=False)
    from applications.models import Version
    from bench.summary import generate as bulk_generate
    from dashboards import store

    def generate(n):
        call, ids = bulk_generate(n)
        store.rebuild(Version.objects.filter(application_id__in=ids))
        return call, ids

    return generate

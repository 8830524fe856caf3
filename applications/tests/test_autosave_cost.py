"""What one autosave costs the database: it runs on every applicant's keystrokes on deadline day
(bench/autosave_load.py measures it under load; docs/performance.md has the figures)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _save(client, app, changes):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("applications:autosave", args=[app.pk]),
            json.dumps({"version": app.edit_version, "changes": changes}),
            content_type="application/json",
            headers={"X-Requested-With": "fetch"},
        )
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def test_an_autosave_reads_the_application_once_to_find_it_and_once_under_the_lock(client, applicant, draft):
    client.force_login(applicant)
    body, sql = _save(client, draft, {"area": "12.5"})
    application_reads = [q for q in sql if q.startswith("SELECT") and 'FROM "applications_application"' in q]
    assert len(application_reads) == 2, application_reads  # scoping's read, then the locked re-read
    # The call (and 申报单位, 盟市) come with the application; the check after the save reads none again.
    assert not [q for q in sql if q.startswith("SELECT") and 'FROM "calls_call"' in q]
    # …and the answer is the saved record's: its version, the canonical value, the check of it.
    assert body["version"] == 1 and body["values"] == {"area": "12.50"}
    draft.refresh_from_db()
    assert draft.edit_version == 1 and draft.data["area"] == "12.50"


def test_the_answer_checks_the_value_just_saved(client, applicant, draft):
    client.force_login(applicant)
    body, _ = _save(client, draft, {"output__2022": "12.345"})
    assert "有3位小数" in body["errors"]["output__2022"]
    draft.refresh_from_db()
    body, _ = _save(client, draft, {"output__2022": "12.34"})
    assert "output__2022" not in body["errors"] and body["version"] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
def test_an_autosave_locks_only_its_own_application_row(client, applicant, draft):
    """Locking the joined call row too would queue every applicant's autosave behind one row."""
    client.force_login(applicant)
    _, sql = _save(client, draft, {"area": "12.5"})
    (locking,) = [q for q in sql if "FOR UPDATE" in q]
    assert locking.rstrip().endswith('FOR UPDATE OF "applications_application"'), locking

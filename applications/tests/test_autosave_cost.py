"""What one autosave costs the database: it runs on every applicant's keystrokes on deadline day
(bench/autosave_load.py measures it under load; docs/performance.md has the figures)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import submission
from applications.autosave import NotEditable, save_cells
from applications.models import Application, Status

pytestmark = pytest.mark.django_db


def _save(client, app, changes, version=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("applications:autosave", args=[app.pk]),
            json.dumps({"version": app.edit_version if version is None else version, "changes": changes}),
            content_type="application/json",
            headers={"X-Requested-With": "fetch"},
        )
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries.captured_queries]


def _reads(sql, table):
    return [q for q in sql if q.startswith("SELECT") and f'FROM "{table}"' in q]


def test_an_autosave_reads_the_application_once_and_writes_it_with_one_conditional_update(client, applicant, draft):
    client.force_login(applicant)
    body, sql = _save(client, draft, {"area": "12.5"})
    assert len(_reads(sql, "applications_application")) == 1  # scoping's read, with the call, 申报单位 and 盟市
    (update,) = [q for q in sql if q.startswith('UPDATE "applications_application"')]
    assert '"edit_version" = 0' in update.split("WHERE", 1)[1]  # only if nobody saved since that read
    assert not [q for q in sql if "FOR UPDATE" in q]
    # The call, the account's 申报单位 and the 盟市 names come with what was read or are kept per process.
    assert not _reads(sql, "calls_call") and not _reads(sql, "accounts_organisation")
    _, sql = _save(client, draft, {"area": "12.6"}, version=1)
    assert not _reads(sql, "regions_region")
    # …and the answer is the saved record's: its version, the canonical value, the check of it.
    assert body["version"] == 1 and body["values"] == {"area": "12.50"}
    draft.refresh_from_db()
    assert draft.edit_version == 2 and draft.data["area"] == "12.60"


def test_the_answer_checks_the_value_just_saved(client, applicant, draft):
    client.force_login(applicant)
    body, _ = _save(client, draft, {"output__2022": "12.345"})
    assert "有3位小数" in body["errors"]["output__2022"]
    draft.refresh_from_db()
    body, _ = _save(client, draft, {"output__2022": "12.34"})
    assert "output__2022" not in body["errors"] and body["version"] == 2


def test_a_save_read_before_another_tab_saved_keeps_both_changes(draft):
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    save_cells(draft, {"cluster_name": "另一个标签页写的名称"}, 0)
    result = save_cells(stale, {"area": "12.5"}, 0)  # its UPDATE finds version 1, so it is worked out again
    assert result.ok and result.version == 2 and result.updates == {"cluster_name": "另一个标签页写的名称"}
    draft.refresh_from_db()
    assert draft.data["cluster_name"] == "另一个标签页写的名称" and draft.data["area"] == "12.50"
    assert draft.cell_versions == {"cluster_name": 1, "area": 2}


def test_a_save_read_before_another_tab_changed_the_same_cell_is_a_conflict_and_writes_nothing(draft):
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    save_cells(draft, {"area": "30"}, 0)
    result = save_cells(stale, {"area": "12.5"}, 0)
    assert result.conflicts == {"area": "30.00"} and result.version == 1
    draft.refresh_from_db()
    assert draft.data["area"] == "30.00" and draft.edit_version == 1


def test_a_save_read_before_the_submission_changes_nothing(ready, applicant):
    draft = ready
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    submission.submit(draft, applicant)
    with pytest.raises(NotEditable):
        save_cells(stale, {"area": "99"}, stale.edit_version)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.data["area"] != "99.00"
    assert draft.versions.get().data == draft.data  # what was frozen is what is stored


def test_a_save_with_nothing_to_write_as_read_is_answered_from_the_row_as_it_is_now(draft):
    """As read, the cell already holds the value; another tab changed it since: a conflict, as a locking save says."""
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    save_cells(draft, {"area": "30"}, 0)
    result = save_cells(stale, {"area": ""}, 0)
    assert result.conflicts == {"area": "30.00"}
    draft.refresh_from_db()
    assert draft.data["area"] == "30.00"


def test_a_save_read_before_a_return_for_revision_is_written_under_the_lock(ready, applicant):
    """Submitting and returning leave the edit version as it was: the write checks the state read too."""
    draft = ready
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    submission.submit(draft, applicant)
    Application.objects.filter(pk=draft.pk).update(status=Status.RETURNED)
    with CaptureQueriesContext(connection) as queries:
        result = save_cells(stale, {"area": "77"}, stale.edit_version)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "applications_application"')]
    assert len(updates) == 2  # the compare-and-swap found another state and wrote nothing; then under the lock
    assert result.ok and stale.edit_version == result.version and stale.data["area"] == "77.00"
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED and draft.data["area"] == "77.00"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
def test_a_save_worked_out_again_locks_only_its_own_application_row(draft):
    """Locking the joined call row too would queue every applicant's autosave behind one row."""
    stale = Application.objects.select_related("call").get(pk=draft.pk)
    save_cells(draft, {"cluster_name": "另一个标签页写的名称"}, 0)
    with CaptureQueriesContext(connection) as queries:
        save_cells(stale, {"area": "12.5"}, 0)
    (locking,) = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking.rstrip().endswith('FOR UPDATE OF "applications_application"'), locking

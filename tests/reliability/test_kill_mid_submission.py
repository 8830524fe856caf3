"""A process killed (SIGKILL) in the middle of a submission leaves the old state or the new one, never half.

The submission runs in a real child process on the same database (tests/reliability/submit_child.py),
which stops at a precise point and is killed there with kill -9: no exception handler, no rollback
by Django, only the database's own atomicity. Killed inside the transaction, nothing of the
submission remains and the application submits normally afterwards; killed after the commit, the
version is complete and documents print from it. Submitting writes no files, so a kill cannot leave
one behind (the media folder is compared file by file).
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Role
from applications import submission
from applications.models import Application, Attachment, Status, Transition, Version
from audit.chain import verify
from audit.models import AuditEntry, AuditHead
from documents.record import record_of
from documents.rendering import render
from notifications.models import Notification
from tests import factories
from tests.application_data import complete_data

PAUSE_TIMEOUT = 90  # seconds for the child to start Django and reach its point


@pytest.fixture
def ready(committed, media):
    """A complete draft with every required file, its applicant, and the 盟市 account told of submissions."""
    call = factories.open_call()
    applicant = factories.user(Role.APPLICANT)
    factories.user(Role.BUREAU, region_code=applicant.organisation.region.code)
    app = factories.application(applicant, call, data=complete_data(call.schema))
    factories.attach_required(app, applicant)
    assert submission.pre_submit_check(app).can_submit
    return app, applicant


def state(app, media):
    """Everything a submission writes or could leave behind, as plain values."""
    app = Application.objects.get(pk=app.pk)
    return {
        "application": (app.status, app.data, app.cell_versions, app.edit_version, app.submitted_at),
        "participating": sorted(app.participating_regions.values_list("code", flat=True)),
        "versions": list(Version.objects.filter(application=app).values_list("pk", "number")),
        "transitions": list(Transition.objects.filter(application=app).values_list("pk", "action")),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "title")),
        "audit": list(AuditEntry.objects.order_by("seq").values_list("seq", "action")),
        "audit_head": list(AuditHead.objects.values_list()),
        "attachments": list(
            Attachment.objects.filter(application=app).order_by("pk").values_list("pk", "file", "sha256", "removed_at")
        ),
        "files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    }


@pytest.fixture
def start_child():
    """start(app, user, media, point, marker): the child, stopped at `point`. Never left running after the test."""
    started = []
    yield lambda *args: _start(started, *args)
    for child in started:
        if child.poll() is None:
            child.kill()
            child.communicate(timeout=30)


def _start(started, app, user, media, point, marker):
    """Start the child and wait until it stands at `point`; returns (process, what it reported)."""
    command = [sys.executable, "-m", "tests.reliability.submit_child"]
    args = [str(connection.settings_dict["NAME"]), str(media), str(app.pk), str(user.pk), point, str(marker)]
    child = subprocess.Popen(  # noqa: S603 -- our own interpreter and module, arguments from the test
        command + args, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    started.append(child)
    deadline = time.monotonic() + PAUSE_TIMEOUT
    while not marker.exists():
        if child.poll() is not None:
            out, err = child.communicate()
            pytest.fail(f"the child ended (exit {child.returncode}) before {point}:\n{out.decode()}\n{err.decode()}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the child did not reach {point} in {PAUSE_TIMEOUT} s")
        time.sleep(0.05)
    return child, json.loads(marker.read_text())


def kill(child, report):
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    if connection.vendor == "postgresql":
        # The server ends the dead client's session, and rolls back its transaction, when it sees
        # the socket close; wait for that rather than assume it.
        deadline = time.monotonic() + 30
        while session_alive(report["backend_pid"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not session_alive(report["backend_pid"]), "the killed process's database session is still open"


def session_alive(backend_pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("point", ["locked", "version_written", "before_commit"])
def test_killed_inside_the_submission_transaction_leaves_the_draft_as_it_was(
    ready, media, tmp_path, start_child, point
):
    app, applicant = ready
    before = state(app, media)
    child, report = start_child(app, applicant, media, point, tmp_path / "marker.json")
    assert report["in_transaction"] is True
    assert state(app, media) == before  # what the child has written is not visible before its commit
    kill(child, report)

    assert state(app, media) == before
    assert verify().ok
    # Nothing is stuck: the lock died with the process, and the draft submits once, normally.
    version = submission.submit(Application.objects.get(pk=app.pk), applicant)
    app.refresh_from_db()
    assert (app.status, version.number) == (Status.SUBMITTED, 1)
    assert list(Version.objects.filter(application=app)) == [version]
    assert Transition.objects.filter(application=app).count() == 1
    assert verify().ok


def test_killed_after_the_commit_the_submitted_version_is_complete(ready, media, tmp_path, start_child):
    app, applicant = ready
    before = state(app, media)
    child, report = start_child(app, applicant, media, "after_commit", tmp_path / "marker.json")
    assert report["in_transaction"] is False
    kill(child, report)

    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    version = Version.objects.get(application=app)
    assert (version.number, version.data, app.submitted_at) == (1, before["application"][1], version.submitted_at)
    assert Transition.objects.get(application=app).version == version
    payload = {
        "application": app.number,
        "version": 1,
        "submitted_at": version.submitted_at.isoformat(),
        "organisation": {"name": app.organisation.name, "credit_code": app.organisation.credit_code},
        "lead_region": app.lead_region.code,
        "schema": {"code": version.schema_code, "version": version.schema_version, "digest": version.schema_digest},
        "data": version.data,
        "attachments": version.attachments,
    }
    assert submission.content_hash(payload) == version.content_hash
    # Every file the version lists is stored, unchanged, and nothing new was written.
    stored = {a.pk: a for a in Attachment.objects.filter(application=app)}
    assert version.attachments and all(
        stored[item["id"]].sha256 == item["sha256"] and (media / stored[item["id"]].file.name).is_file()
        for item in version.attachments
    )
    assert state(app, media)["files"] == before["files"]
    assert Notification.objects.filter(application=app).count() == 2  # the 盟市 and the applicant
    assert verify().ok
    # Documents print from the frozen version.
    assert render(record_of(app, 1), "performance", "docx").content[:2] == b"PK"
    with pytest.raises(submission.SubmissionRefused):
        submission.submit(app, applicant)

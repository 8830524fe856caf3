"""Submit one application in a process of its own that stops at a chosen point, so the test can SIGKILL it there.

    python -m tests.reliability.submit_child <database name> <media root> <application id> <user id> <point> <marker>

Same settings as the test run, pointed at the test database. At `point` the process writes `marker`
(its pid, whether it is inside the submission's transaction and, on PostgreSQL, its
session's server pid) and sleeps until it is killed:

- locked:          the application row is locked, nothing written yet (before the pre-submit check);
- version_written: the Version row, 参与盟市 and submitted_at are written (before the workflow move);
- before_commit:   everything is written, the transition, audit entry and notifications too; only
                   the commit is missing (after notices.submitted);
- after_commit:    the transaction has committed (in the on-commit hook that sends e-mail and SMS).
"""

import functools
import json
import os
import sys
import time
from pathlib import Path

POINTS = ("locked", "version_written", "before_commit", "after_commit")


def main(db_name, media_root, application_id, user_id, point, marker):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shenbao.settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = db_name  # before any connection is opened
    settings.MEDIA_ROOT = media_root
    import django

    django.setup()

    from django.db import connection

    import notifications.service
    from accounts.models import User
    from applications import notices, submission, workflow
    from applications.models import Application

    def stop_here():
        state = {"pid": os.getpid(), "point": point, "in_transaction": connection.in_atomic_block}
        if connection.vendor == "postgresql":  # the server process of this session, to see it end
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                state["backend_pid"] = cursor.fetchone()[0]
        Path(f"{marker}.part").write_text(json.dumps(state))
        os.replace(f"{marker}.part", marker)  # the parent never reads half a marker
        parent = os.getppid()
        deadline = time.monotonic() + 600
        while os.getppid() == parent and time.monotonic() < deadline:  # never outlive the test run
            time.sleep(0.1)
        sys.exit("not killed")

    def before(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            stop_here()
            return fn(*args, **kwargs)

        return wrapper

    def after(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            result = fn(*args, **kwargs)
            stop_here()
            return result

        return wrapper

    if point == "locked":
        submission.pre_submit_check = before(submission.pre_submit_check)
    elif point == "version_written":
        workflow.move = before(workflow.move)
    elif point == "before_commit":
        notices.submitted = after(notices.submitted)
    elif point == "after_commit":
        notifications.service.deliver = before(notifications.service.deliver)
    else:
        sys.exit(f"unknown point {point!r}; one of {', '.join(POINTS)}")

    submission.submit(Application.objects.get(pk=application_id), User.objects.get(pk=user_id))
    sys.exit(f"submitted without stopping at {point}")


if __name__ == "__main__":
    main(*sys.argv[1:])

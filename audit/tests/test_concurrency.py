"""Appends from many connections at once still make one gapless chain (row locks on PostgreSQL, the
write lock taken at BEGIN IMMEDIATE on the file-backed SQLite test database)."""

import threading

import pytest
from django.db import connections

from audit.chain import verify
from audit.log import record
from audit.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_gapless_chain():
    errors = []

    def append(n):
        try:
            for i in range(10):
                record("export", object_type="thread", object_id=f"{n}-{i}")
        except Exception as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 81))
    assert verify().ok

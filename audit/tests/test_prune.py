from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit.chain import PruneRefused, prune, verify
from audit.log import record
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry_at(when, i):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return record("export", object_type="test", object_id=str(i))


@pytest.fixture
def aged_log():
    """Three entries 400 days old, two 300 days old, two from today."""
    now = timezone.now()
    for i, age in enumerate([400, 400, 400, 300, 300, 0, 0]):
        _entry_at(now - timedelta(days=age), i)


def test_prune_refuses_anything_younger_than_the_retention(aged_log, settings):
    settings.SHENBAO_AUDIT_RETENTION_DAYS = 180
    too_recent = timezone.localdate() - timedelta(days=179)
    with pytest.raises(PruneRefused, match="180 天"):
        prune(too_recent)
    assert AuditEntry.objects.count() == 7


def test_prune_deletes_older_entries_and_leaves_a_verifiable_chain(aged_log):
    last_old = AuditEntry.objects.get(seq=3)
    checkpoint = prune(timezone.localdate() - timedelta(days=350))
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6, 7, 8]
    assert checkpoint.action == "audit_prune" and checkpoint.seq == 8
    assert checkpoint.detail == {
        "before": (timezone.localdate() - timedelta(days=350)).isoformat(),
        "through_seq": 3,
        "through_hash": last_old.hash,
        "deleted": 3,
    }
    checked = verify()
    assert checked.ok, checked.problem
    assert checked.count == 5


def test_a_second_prune_and_tampering_after_a_prune_are_still_checked(aged_log):
    prune(timezone.localdate() - timedelta(days=350))
    prune(timezone.localdate() - timedelta(days=200))
    assert verify().ok
    assert AuditEntry.objects.order_by("seq").first().seq == 6
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 6")  # noqa: S608
    problem = verify().problem
    assert (problem.seq, problem.kind) == (6, "deleted")


def test_prune_refuses_a_broken_chain(aged_log):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET username = 'x' WHERE seq = 2")  # noqa: S608
    with pytest.raises(PruneRefused, match="第 2 条"):
        prune(timezone.localdate() - timedelta(days=350))
    assert AuditEntry.objects.count() == 7


def test_audit_prune_command(aged_log, capsys):
    call_command("audit_prune", "--before", (timezone.localdate() - timedelta(days=350)).isoformat())
    assert "已删除 3 条" in capsys.readouterr().out
    with pytest.raises(CommandError, match="保留"):
        call_command("audit_prune", "--before", date.today().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_prune", "--before", "yesterday")
    call_command("audit_verify")


def test_retention_below_180_days_is_refused_at_startup():
    import subprocess
    import sys

    env = {"SHENBAO_AUDIT_RETENTION_DAYS": "90", "PATH": "/usr/bin:/bin"}
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'shenbao.settings'; django.setup()"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", setup],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SHENBAO_AUDIT_RETENTION_DAYS" in result.stderr

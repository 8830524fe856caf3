import itertools
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.chain import GENESIS, entry_hash, verify
from audit.log import record
from audit.models import AuditEntry, AuditHead, AuditImmutable

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


def _chain(n=5):
    return [record("export", object_type="test", object_id=str(i), detail={"i": i}) for i in range(n)]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_entries_are_numbered_without_gaps_and_each_links_to_the_previous_hash():
    entries = _chain(4)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (4, entries[-1].hash)


def test_the_hash_covers_every_field_and_the_previous_hash():
    entry = AuditEntry.objects.get(seq=_chain(1)[0].seq)
    assert entry_hash(entry) == entry.hash  # what the database gives back hashes the same
    for field, value in [("username", "x"), ("detail", {"i": 99}), ("prev_hash", "f" * 64), ("result", "失败")]:
        copy = AuditEntry.objects.get(pk=entry.pk)
        setattr(copy, field, value)
        assert entry_hash(copy) != entry.hash, field


def test_an_intact_chain_verifies():
    entries = _chain(3)
    checked = verify()
    assert checked.ok
    assert (checked.count, checked.tail_hash) == (3, entries[-1].hash)
    assert checked.summary == f"审计日志完整：共 3 条，链尾哈希 {entries[-1].hash}"


def test_an_empty_log_verifies():
    assert verify().ok


def test_a_field_changed_with_raw_sql_is_found_by_its_seq():
    _chain(5)
    _sql(f"UPDATE {TABLE} SET username = %s WHERE seq = 3", ["forger"])  # noqa: S608
    problem = verify().problem
    assert (problem.seq, problem.kind) == (3, "changed")
    assert "第 3 条" in problem.message and "篡改" in problem.message


def test_a_row_deleted_with_raw_sql_is_found_by_its_seq():
    _chain(5)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")  # noqa: S608
    problem = verify().problem
    assert (problem.seq, problem.kind) == (2, "deleted")
    assert "第 2 条" in problem.message and "删除" in problem.message


def test_rows_deleted_from_the_tail_are_found_by_the_head():
    _chain(5)
    _sql(f"DELETE FROM {TABLE} WHERE seq >= 4")  # noqa: S608
    problem = verify().problem
    assert (problem.seq, problem.kind) == (4, "deleted")


def _forge(seq, prev_hash):
    forged = AuditEntry(
        seq=seq,
        at=datetime.now(UTC),
        username="forger",
        action="login",
        result="成功",
        detail={},
        prev_hash=prev_hash,
    )
    forged.hash = entry_hash(forged)
    columns = (
        "seq, at, username, role, ip, user_agent, action, object_type, object_id, object_repr, result, detail, "
        "prev_hash, hash"
    )
    _sql(
        f"INSERT INTO {TABLE} ({columns}) VALUES (%s, %s, %s, '', '', '', %s, '', '', '', %s, %s, %s, %s)",  # noqa: S608
        [seq, forged.at, "forger", "login", "成功", "{}", prev_hash, forged.hash],
    )


def test_a_forged_row_that_does_not_link_is_found_as_inserted():
    _chain(3)
    _forge(4, "a" * 64)
    problem = verify().problem
    assert (problem.seq, problem.kind) == (4, "inserted")
    assert "插入" in problem.message


def test_a_forged_row_that_links_perfectly_is_still_found_by_the_head():
    entries = _chain(3)
    _forge(4, entries[-1].hash)
    problem = verify().problem
    assert (problem.seq, problem.kind) == (4, "inserted")


def test_a_row_replaced_in_the_middle_breaks_the_next_link():
    entries = _chain(4)
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")  # noqa: S608
    _forge(2, entries[0].hash)
    problem = verify().problem
    assert (problem.seq, problem.kind) == (3, "inserted")


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _chain(1)[0]
    entry.username = "changed"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(seq=1).update(username="changed")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.bulk_create([AuditEntry(seq=9, action="x", prev_hash=GENESIS, hash=GENESIS)])
    assert AuditEntry.objects.get().username == ""


def test_an_entry_cannot_be_created_without_the_chain():
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.create(seq=1, at=datetime.now(UTC), action="login", prev_hash=GENESIS, hash="0" * 64)


def test_audit_verify_prints_the_count_and_tail_hash(capsys):
    entries = _chain(2)
    call_command("audit_verify")
    assert f"审计日志完整：共 2 条，链尾哈希 {entries[-1].hash}" in capsys.readouterr().out


def test_audit_verify_names_the_problem_and_exits_one():
    _chain(3)
    _sql(f"UPDATE {TABLE} SET object_id = '99' WHERE seq = 2")  # noqa: S608
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1
    assert "第 2 条" in str(failure.value)

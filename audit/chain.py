"""The hash chain: what an entry's hash covers, the walk that checks every link, and the one pruning path.

hash = SHA-256 over a canonical JSON (sorted keys, no spaces, UTF-8) of every field but the hash
itself, prev_hash included. The first entry links to 64 zeros, or — after `audit_prune` — to the
hash of the last pruned entry, which the prune's checkpoint entry records.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
PRUNE_ACTION = "audit_prune"

KINDS = {"changed": "被篡改", "deleted": "被删除", "inserted": "被插入"}


def canonical(entry) -> str:
    fields = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "result": entry.result,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry) -> str:
    return hashlib.sha256(canonical(entry).encode("utf-8")).hexdigest()


def locked_head():
    """The head row, locked until the transaction ends (created on the first append)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # changed | deleted | inserted
    message: str

    @property
    def kind_label(self):
        return KINDS[self.kind]


@dataclass(frozen=True)
class Verification:
    count: int
    last_seq: int
    tail_hash: str
    problem: Problem | None

    @property
    def ok(self):
        return self.problem is None

    @property
    def summary(self):
        if self.problem:
            return f"审计日志校验失败：{self.problem.message}"
        return f"审计日志完整：共 {self.count} 条，链尾哈希 {self.tail_hash}"


def _anchor():
    """Where the chain starts: seq 1 after 64 zeros, or just after what the last prune removed."""
    checkpoint = AuditEntry.objects.filter(action=PRUNE_ACTION).order_by("-seq").first()
    if checkpoint is None:
        return 1, GENESIS
    try:
        return int(checkpoint.detail["through_seq"]) + 1, str(checkpoint.detail["through_hash"])
    except (KeyError, TypeError, ValueError):
        return 1, GENESIS  # a mangled checkpoint fails its own hash check below


def verify() -> Verification:
    """Walk the chain in seq order and return the first problem found, with its seq and kind."""
    expected, prev = _anchor()
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq < expected:
            message = f"第 {entry.seq} 条记录重复或位于链首之前（被插入）。"
            return Verification(count, expected - 1, prev, Problem(entry.seq, "inserted", message))
        if entry.seq > expected:
            gap = f"第 {expected} 条" if entry.seq == expected + 1 else f"第 {expected}–{entry.seq - 1} 条"
            message = f"{gap}记录缺失（序号不连续，被删除）。"
            return Verification(count, expected - 1, prev, Problem(expected, "deleted", message))
        if entry_hash(entry) != entry.hash:
            message = f"第 {entry.seq} 条记录的内容与其哈希不符（被篡改）。"
            return Verification(count, expected - 1, prev, Problem(entry.seq, "changed", message))
        if entry.prev_hash != prev:
            message = f"第 {entry.seq} 条记录与前一条的哈希不衔接（被插入或替换）。"
            return Verification(count, expected - 1, prev, Problem(entry.seq, "inserted", message))
        prev, expected, count = entry.hash, entry.seq + 1, count + 1
    last_seq = expected - 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    if head_seq > last_seq:
        message = f"第 {last_seq + 1} 条起的记录缺失（链尾被删除，链尾应为第 {head_seq} 条）。"
        return Verification(count, last_seq, prev, Problem(last_seq + 1, "deleted", message))
    if head_seq < last_seq:
        message = f"第 {head_seq + 1} 条起的记录不是由系统写入的（链尾之后被插入）。"
        return Verification(count, last_seq, prev, Problem(head_seq + 1, "inserted", message))
    if count and head_hash != prev:
        message = f"第 {last_seq} 条记录与系统记下的链尾哈希不符（被替换）。"
        return Verification(count, last_seq, prev, Problem(last_seq, "inserted", message))
    return Verification(count, last_seq, prev, None)


class PruneRefused(Exception):
    """Why this prune may not run, as one sentence for the operator."""


def earliest_prunable_date(now=None):
    """The latest --before date allowed: nothing younger than the retention period may go."""
    now = timezone.localtime(now or timezone.now())
    return (now - timedelta(days=settings.SHENBAO_AUDIT_RETENTION_DAYS)).date()


def prune(before, user=None, now=None):
    """Delete every entry older than `before` (a date) and append a checkpoint; returns it, or None.

    The only path by which audit rows leave the database: a raw DELETE of a prefix of the chain.
    """
    from audit.log import record

    limit = earliest_prunable_date(now)
    if before > limit:
        days = settings.SHENBAO_AUDIT_RETENTION_DAYS
        raise PruneRefused(f"审计日志至少保留 {days} 天：--before 不得晚于 {limit:%Y-%m-%d}。")
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    with transaction.atomic():
        locked_head()
        checked = verify()
        if not checked.ok:
            raise PruneRefused(f"审计日志校验未通过，不能清理：{checked.problem.message}")
        last = AuditEntry.objects.filter(at__lt=cutoff).order_by("-seq").first()
        if last is None:
            return None
        deleted = AuditEntry.objects.filter(seq__lte=last.seq).count()
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last.seq])  # noqa: S608 (table name, not input)
        detail = {
            "before": before.isoformat(),
            "through_seq": last.seq,
            "through_hash": last.hash,
            "deleted": deleted,
        }
        return record(PRUNE_ACTION, user=user, object_type="audit", object_repr="审计日志", detail=detail)

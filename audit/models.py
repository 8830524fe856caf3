"""The append-only audit log: one hash-chained row per event, and the one-row head that serialises appends.

Rows are written only by `audit.log.record()` and never changed: save() refuses an existing row,
delete() and the queryset's update()/delete()/bulk_create() raise. The only way a row leaves is
`audit_prune`, through a raw statement in `audit.chain.prune`.
"""

from django.conf import settings
from django.db import models


class AuditImmutable(Exception):
    """An attempt to change or remove an audit entry outside the documented prune."""


class Result(models.TextChoices):
    SUCCESS = "成功", "成功"
    FAILURE = "失败", "失败"
    REFUSED = "拒绝", "拒绝"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        raise AuditImmutable("审计日志只能追加，不能删除；过期记录请用 audit_prune 清理。")

    def bulk_create(self, *args, **kwargs):
        raise AuditImmutable("审计日志只能通过 audit.log.record() 逐条追加。")

    def bulk_update(self, *args, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能修改。")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=2, choices=Result.choices, default=Result.SUCCESS)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self):
        return f"#{self.seq} {self.action} {self.username}"

    def save(self, *args, **kwargs):
        from audit.chain import entry_hash

        if not self._state.adding:
            raise AuditImmutable("审计日志只能追加，不能修改。")
        if self.hash != entry_hash(self):
            raise AuditImmutable("审计记录须经 audit.log.record() 计算哈希后写入。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能删除；过期记录请用 audit_prune 清理。")


class AuditHead(models.Model):
    """One row: the last appended seq and hash. Locking it serialises appends on SQLite and PostgreSQL,
    and comparing it with the last entry reveals rows removed from, or forged onto, the tail."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链尾"

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"

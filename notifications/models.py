"""A message to one person about an event they must act on or should know about."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme


class Event(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    RESUBMITTED = "resubmitted", "重新提交"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "退回修改"
    RECOMMENDED = "recommended", "已推荐"
    ACCEPTED = "accepted", "已受理"
    ASSIGNED = "assigned", "评审任务"
    SCORING_DONE = "scoring_done", "评审完成"
    DECIDED = "decided", "评审决定"
    PUBLICITY_STARTED = "publicity_started", "公示开始"
    PUBLICITY_ENDED = "publicity_ended", "公示结束"
    DEADLINE = "deadline", "截止提醒"
    DEADLINE_EXTENDED = "deadline_extended", "截止时间延长"
    SCHEMA_CHANGED = "schema_changed", "申报书结构更新"
    OFFICIAL_FAILED = "official_failed", "正式文件生成失败"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField("事项", max_length=30, choices=Event.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)  # a site-relative path, or empty
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # Non-empty for reminders a scheduled job may try to send again (see send_deadline_reminders).
    dedupe_key = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_sent_once",
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()}：{self.title}"

    @property
    def is_unread(self):
        return self.read_at is None


def is_site_path(url: str) -> bool:
    """A path on this site ("/applications/3/"), never another site ("//evil.example", "https://…")."""
    return (
        bool(url)
        and len(url) <= 300
        and url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )

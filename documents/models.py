"""A document job: one export too slow for a request, made by a worker (documents/jobs.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def result_path(job, filename):
    # A random name in storage: the file leaves only through the owner's scoped download view.
    return f"document-jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class DocumentJob(models.Model):
    kind = models.CharField("类型", max_length=40)
    parameters = models.JSONField("参数", default=dict)
    title = models.CharField("标题", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs")
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    step = models.CharField("当前步骤", max_length=60, blank=True)
    file = models.FileField("文件", upload_to=result_path, max_length=200, blank=True)
    filename = models.CharField("下载文件名", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    worker = models.CharField("处理进程", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件保留至", null=True, blank=True)

    class Meta:
        verbose_name = "文档生成任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def pending(self):
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self):
        return min(100, self.done * 100 // self.total) if self.total else 0

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

    @classmethod
    def pending(cls):
        """Not finished yet: waiting for a worker, or being made."""
        return (cls.QUEUED, cls.RUNNING)


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
        return self.status in JobStatus.pending()

    # One property per state the job page tells apart, so that its template compares no status strings.

    @property
    def is_queued(self):
        return self.status == JobStatus.QUEUED

    @property
    def is_running(self):
        return self.status == JobStatus.RUNNING

    @property
    def is_done(self):
        return self.status == JobStatus.DONE

    @property
    def percent(self):
        return min(100, self.done * 100 // self.total) if self.total else 0


def official_path(document, filename):
    # A random name in storage: nothing the applicant typed reaches a path or an object key.
    return f"official/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class OfficialStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class OfficialDocumentQuerySet(models.QuerySet):
    def failed(self):
        """Could not be made, whether a retry is still due or not (see OfficialDocument.gave_up)."""
        return self.filter(status=OfficialStatus.FAILED)


class OfficialDocument(models.Model):
    """The official PDF of one submitted version, made once by the document worker, signed and stored.

    Downloads of a submitted version's PDF serve these bytes, never a new rendering. The worker moves a row
    with conditional UPDATEs only (documents/official.py); a finished row is never changed again.
    """

    version = models.ForeignKey(
        "applications.Version", verbose_name="申报版本", on_delete=models.PROTECT, related_name="official_documents"
    )
    kind = models.CharField("文档", max_length=20)  # a key of documents.rendering.BUILDERS
    status = models.CharField("状态", max_length=10, choices=OfficialStatus.choices, default=OfficialStatus.RUNNING)
    file = models.FileField("文件", upload_to=official_path, max_length=200, blank=True)
    filename = models.CharField("下载文件名", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True)
    worker = models.CharField("处理进程", max_length=100, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    certificate_subject = models.CharField("签名证书主体", max_length=300, blank=True)
    certificate_sha256 = models.CharField("签名证书指纹（SHA-256）", max_length=64, blank=True)

    objects = OfficialDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "正式文件"
        verbose_name_plural = "正式文件"
        ordering = ["version", "kind"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="one_official_document_per_kind")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="official_retry_due")]

    def __str__(self):
        return f"{self.version_id}:{self.kind}（{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        # Created once; every later change is a conditional UPDATE in documents/official.py.
        if self.pk is not None:
            raise ValueError("正式文件记录不可直接修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("正式文件不可删除。")

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its id and its version's 申报编号."""
        return f"正式文件 #{self.pk}（{self.version.audit_label}）"

    @property
    def is_done(self):
        return self.status == OfficialStatus.DONE

    @property
    def gave_up(self):
        """Failed with no retry left: it waits for a 自治区 official to press 重新生成."""
        return self.status == OfficialStatus.FAILED and self.next_attempt_at is None

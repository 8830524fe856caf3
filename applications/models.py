"""The application record: one per 申报单位 per call, its frozen versions, attachments and transitions."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone

from calls.models import RevisionMissing, revision_digest, revision_schema


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待盟市初审"
    RETURNED = "returned", "退回修改"
    RECOMMENDED = "recommended", "待自治区受理"
    UNDER_REVIEW = "under_review", "专家评审中"
    AWAITING_DECISION = "awaiting_decision", "待决定"
    PUBLICISING = "publicising", "公示中"
    NOT_SUPPORTED = "not_supported", "未通过"
    APPROVED = "approved", "已立项"


# The applicant may change the record only in these states.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# What a 盟市 has recommended (推荐) to the region: 待自治区受理 and every state after it.
RECOMMENDED_STATUSES = (
    Status.RECOMMENDED,
    Status.UNDER_REVIEW,
    Status.AWAITING_DECISION,
    Status.PUBLICISING,
    Status.NOT_SUPPORTED,
    Status.APPROVED,
)


class Application(models.Model):
    call = models.ForeignKey(
        "calls.Call", verbose_name="申报批次", on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="申报单位", on_delete=models.PROTECT, related_name="applications"
    )
    lead_region = models.ForeignKey(
        "regions.Region", verbose_name="牵头盟市", on_delete=models.PROTECT, related_name="led_applications"
    )
    # Set from the answers at each submission: these 盟市 may read (not act on) what they take part in.
    participating_regions = models.ManyToManyField(
        "regions.Region", verbose_name="参与盟市", blank=True, related_name="participating_applications"
    )
    # The schema revision this record answers: its call's current one, moved on (applications.revisions)
    # while the applicant may still edit; each submitted version pins its own.
    schema_revision = models.ForeignKey(
        "calls.SchemaRevision", verbose_name="申报书结构版本", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("申报编号", max_length=30, unique=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Every cell of the schema by name, stored as typed or in canonical form (see calls.schema.values).
    data = models.JSONField("填报内容", default=dict)
    # The edit version that last changed each cell: how autosave tells a stale tab from a fresh one.
    cell_versions = models.JSONField(default=dict)
    edit_version = models.PositiveIntegerField("编辑版本", default=0)
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申报书"
        verbose_name_plural = "申报书"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_application_per_call"),
        ]

    def __str__(self):
        return f"{self.number} {self.schema.title_of(self.data) or self.organisation.name}"

    @property
    def schema(self):
        """The schema this record answers: its revision, built for its call's year."""
        return revision_schema(self.schema_revision_id, self.call.year)

    @property
    def title(self):
        """The answer to the field the schema marks as the title (集群名称, 项目名称)."""
        schema = self.schema
        return schema.title_of(self.data) or f"（未填写{schema.title_label}）"

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class Version(models.Model):
    """A submission frozen for good: the data, the schema it answered, the files' hashes, one hash over all."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    data = models.JSONField()
    # The revision answered, pinned for good: this version's pages and documents read it and no other.
    # Empty only for a version older than stored revisions whose text was not found (calls migration 0005).
    schema_revision = models.ForeignKey(
        "calls.SchemaRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schema_code = models.CharField(max_length=50)
    schema_version = models.CharField(max_length=20)
    schema_digest = models.CharField(max_length=64)
    attachments = models.JSONField(default=list)  # [{id, slot, name, size, sha256}]
    # Who applied, where, as printed on this version's documents: a later rename does not reprint it.
    context = models.JSONField(default=dict)  # {organisation_name, lead_region_name, lead_bureau}
    # Indexed: /verify/<code>/ looks a version up by the first 16 hex digits of its hash.
    content_hash = models.CharField("内容哈希（SHA-256）", max_length=64, db_index=True)
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "申报版本"
        verbose_name_plural = "申报版本"
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="unique_version_number")]

    def __str__(self):
        return f"{self.application.number} 第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("已提交的申报版本不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("已提交的申报版本不可删除。")

    @property
    def short_hash(self):
        return self.content_hash[:12]

    @property
    def schema(self):
        """The schema revision this version answered, exactly; RevisionMissing rather than any other."""
        if self.schema_revision_id is None or revision_digest(self.schema_revision_id) != self.schema_digest:
            raise RevisionMissing(
                f"{self} 所依据的申报书结构（SHA-256 {self.schema_digest[:12]}）不在系统中，"
                "为免以其他结构显示，拒绝显示该版本。"
            )
        return revision_schema(self.schema_revision_id, self.application.call.year)

    @property
    def title(self):
        return self.schema.title_of(self.data) or self.application.number


def attachment_path(instance, filename):
    # The uploaded name is never part of the path: a random name under the application's folder,
    # with the extension of the type the content was recognised as.
    suffix = PurePosixPath(filename).suffix
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class ActiveAttachmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Attachment(models.Model):
    """An evidence file in a slot. Removing one in a draft hides it; submitted versions keep their files."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    slot = models.CharField("附件类别", max_length=50)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=10)  # pdf, jpg, png, docx, xlsx — from the content
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["slot", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Transition(models.Model):
    """Who moved an application from one state to another, when, in which role, and why."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=20)
    reason = models.TextField("理由", blank=True)
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class SchemaMove(models.Model):
    """A record the applicant may still edit, moved to a newer revision of its call's schema, with the
    answers that no longer fit (kept in the record, never dropped: applications/revisions.py)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="schema_moves")
    from_revision = models.ForeignKey("calls.SchemaRevision", on_delete=models.PROTECT, related_name="+")
    to_revision = models.ForeignKey("calls.SchemaRevision", on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField("切换时间", default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # [{cell, label, section, value, reason}]: answers the new revision no longer asks, or now refuses.
    misfits = models.JSONField("不再符合的内容", default=list)
    added = models.JSONField("新增填报项", default=list)  # [{label, section}]

    class Meta:
        verbose_name = "申报书结构切换"
        verbose_name_plural = "申报书结构切换"
        ordering = ["-moved_at", "-pk"]

    def __str__(self):
        return f"{self.application.number} → 申报书结构第{self.to_revision.number}版"

"""The application record: one per 申报单位 per call, its frozen versions, attachments and transitions."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts import scoping
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

    # The groups the rest of the platform asks about, named once here. Each is a method, not a class
    # attribute, because a tuple assigned in an enum's body would become one more member. The states are
    # declared in workflow order, and every group keeps that order (the dashboards list states in it).

    @classmethod
    def editable(cls):
        """The applicant may change the record only in these states."""
        return (cls.DRAFT, cls.RETURNED)

    @classmethod
    def official(cls):
        """Submitted at least once: what officials list, filter by and count (a draft is the applicant's alone)."""
        return tuple(status for status in cls if status != cls.DRAFT)

    @classmethod
    def recommended(cls):
        """推荐 by the 盟市 to the region: 待自治区受理 and every state after it."""
        return (cls.RECOMMENDED, *cls.accepted())

    @classmethod
    def accepted(cls):
        """受理 by the region: under expert review and every state after it (scores exist from here on)."""
        return (cls.UNDER_REVIEW, cls.AWAITING_DECISION, cls.PUBLICISING, *cls.closed())

    @classmethod
    def waiting(cls):
        """An official must act next: from submission to 公示, except a return, which waits on the applicant."""
        return (cls.SUBMITTED, cls.RECOMMENDED, cls.UNDER_REVIEW, cls.AWAITING_DECISION, cls.PUBLICISING)

    @classmethod
    def scored(cls):
        """Every expert has finished: 待决定 and after (the rows of the 评审结果汇总表)."""
        return (cls.AWAITING_DECISION, cls.PUBLICISING, *cls.closed())

    @classmethod
    def publicised(cls):
        """On the public 公示 page: 公示中 and nothing else (portal's 公示 and its 异议 form)."""
        return (cls.PUBLICISING,)

    @classmethod
    def closed(cls):
        """办结: decided for good; nothing more happens to the application."""
        return (cls.NOT_SUPPORTED, cls.APPROVED)


# Versions are numbered 1, 2, 3… in the order they were submitted (applications.submission): the
# highest-numbered is the latest submitted version, the one officials read.
LATEST_VERSION_FIRST = "-number"


# The officials' lists, longest waiting first, sort on (WAIT_GROUP, moved_at, id) and page by seeking past
# a row's key (reviews.inbox). Nobody acts on a closed application any more, so it comes after everything
# still waiting; one never moved (no transition, moved_at NULL) comes last of its kind: NULLS LAST, said
# with a number, so that the key has no NULL where the list seeks (a row comparison with a NULL in it is
# NULL). One expression, shared by the lists' ORDER BY and the indexes built to serve it (the two must
# match), and `wait_group()` below says the same of one row in Python.
WAIT_GROUP = models.Case(
    models.When(models.Q(status__in=Status.closed(), moved_at__isnull=True), then=models.Value(3)),
    models.When(status__in=Status.closed(), then=models.Value(2)),
    models.When(moved_at__isnull=True, then=models.Value(1)),
    default=models.Value(0),
    output_field=models.IntegerField(),
)


def wait_group(application):
    """WAIT_GROUP of one application read from the database."""
    return (2 if application.is_closed else 0) + (1 if application.moved_at is None else 0)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those of these applications `user` may see. The rule is accounts.scoping.applications_for's;
        this is its door on the model, so scoping never imports Application (a lower layer may not)."""
        return scoping.applications_for(user, self)

    def exclude_drafts(self):
        """Submitted at least once: a draft is the applicant's alone."""
        return self.exclude(status=Status.DRAFT)

    def joined_by(self, region_id):
        """Those naming the 盟市 among their 参与盟市 (it reads them; it leads others: `lead_region`)."""
        taking_part = Application.participating_regions.through.objects.filter(region_id=region_id)
        return self.filter(pk__in=taking_part.values("application_id"))

    def recommended(self):
        """推荐 by their 盟市: 待自治区受理 and every state after it."""
        return self.filter(status__in=Status.recommended())

    def editable(self):
        """Those the applicant may still change (Status.editable)."""
        return self.filter(status__in=Status.editable())

    def publicised(self):
        """公示中 (Status.publicised): what the public 公示 page lists, through scoping.publicised."""
        return self.filter(status__in=Status.publicised())

    def with_latest_version(self, *fields):
        """These applications, each annotated with `fields` of its latest submitted version, as
        `latest_version_<field>` (NULL before the first submission): a list of any length reads them in
        the same one query, a subquery per field, never a query per row. One record reads
        `application.latest_version` instead."""
        latest = Version.objects.filter(application=OuterRef("pk")).order_by(LATEST_VERSION_FIRST)
        return self.annotate(**{f"latest_version_{name}": Subquery(latest.values(name)[:1]) for name in fields})


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
    # When it last moved: MAX(at) of its transitions, NULL before the first. Kept by the database itself (a
    # trigger on the transitions table, migration 0006), so that officials' lists sort and page on an index
    # instead of a subquery per row, and no write to a transition, however made, can leave it stale.
    moved_at = models.DateTimeField("最近流转时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "申报书"
        verbose_name_plural = "申报书"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_application_per_call"),
        ]
        # The officials' lists, longest waiting first (reviews.inbox.waiting_first): an index per list's
        # filter, each in the list's order, so a page reads its 20 rows off the index and sorts nothing.
        indexes = [
            models.Index(WAIT_GROUP, "moved_at", "id", name="app_waiting"),
            models.Index("lead_region", WAIT_GROUP, "moved_at", "id", name="app_region_waiting"),
            models.Index("status", WAIT_GROUP, "moved_at", "id", name="app_status_waiting"),
            models.Index("call", WAIT_GROUP, "moved_at", "id", name="app_call_waiting"),
        ]

    def __str__(self):
        return f"{self.number} {self.schema.title_of(self.data) or self.organisation.name}"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its 申报编号, never the cluster's name."""
        return f"申报书 {self.number}" if self.number else f"申报书 #{self.pk}（未提交）"

    @property
    def schema(self):
        """The schema this record answers: its revision, built for its call's year."""
        return revision_schema(self.schema_revision_id, self.call.year)

    @property
    def title(self):
        """The answer to the field the schema marks as the title (集群名称, 项目名称)."""
        schema = self.schema
        return schema.title_of(self.data) or f"（未填写{schema.title_label}）"

    # What templates and the scoping module ask of the state, so that none of them compares status
    # strings (tests/test_state_vocabulary.py checks). One property per group or state that something reads.

    @property
    def is_editable(self):
        return self.status in Status.editable()

    @property
    def is_draft(self):
        """草稿: never submitted, or withdrawn; the applicant's alone."""
        return self.status == Status.DRAFT

    @property
    def is_accepted(self):
        """受理 by the region: expert scores exist from here on (Status.accepted)."""
        return self.status in Status.accepted()

    @property
    def is_closed(self):
        """办结: not supported or approved (Status.closed)."""
        return self.status in Status.closed()

    @property
    def awaits_bureau(self):
        """待盟市初审: submitted and not yet acted on by its 盟市 (the applicant may still 撤回 it)."""
        return self.status == Status.SUBMITTED

    @property
    def is_returned(self):
        """退回修改: back with the applicant, to change and resubmit."""
        return self.status == Status.RETURNED

    @property
    def awaits_acceptance(self):
        """待自治区受理: recommended by its 盟市, not yet accepted by the region."""
        return self.status == Status.RECOMMENDED

    @property
    def in_expert_review(self):
        """专家评审中: accepted, the experts are scoring."""
        return self.status == Status.UNDER_REVIEW

    @property
    def awaits_decision(self):
        """待决定: every expert has finished; the region decides."""
        return self.status == Status.AWAITING_DECISION

    @property
    def is_publicising(self):
        """公示中: to be supported once the 公示 period ends without objection."""
        return self.status == Status.PUBLICISING

    @property
    def is_not_supported(self):
        """未通过: the region decided 不予支持."""
        return self.status == Status.NOT_SUPPORTED

    @property
    def is_approved(self):
        """已立项."""
        return self.status == Status.APPROVED

    @property
    def latest_version(self):
        """The latest submitted version, or None before the first submission (a list: with_latest_version)."""
        return self.versions.order_by(LATEST_VERSION_FIRST).first()


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
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its application's 申报编号 and its number."""
        return f"{self.application.audit_label} 第{self.number}版"

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

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its id and its application, never the file's name."""
        return f"附件 #{self.pk}（{self.application.audit_label}）"


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

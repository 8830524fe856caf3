"""A call (申报批次): a published guide with its year and its windows, in Asia/Shanghai time, and the
immutable revisions of its schema (what applicants answer, and what every submitted version pins)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from calls.schema.loader import SchemaError, schema_for


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_for_applicants(self, now=None):
        now = now or timezone.now()
        return self.published().filter(applicant_opens_at__lte=now, applicant_closes_at__gt=now)


class Call(models.Model):
    class Phase(models.TextChoices):
        UNPUBLISHED = "unpublished", "未发布"
        NOT_YET_OPEN = "not_yet_open", "未开始"
        OPEN = "open", "申报中"
        CLOSED = "closed", "申报已截止"

    code = models.SlugField("批次代码", max_length=40, unique=True)
    name = models.CharField("批次名称", max_length=100)
    year = models.PositiveSmallIntegerField("申报年度")
    guide_title = models.CharField("申报指南", max_length=100)
    guide_text = models.TextField("申报指南全文")
    # The revision applicants answer now; every submitted version pins its own (Version.schema_revision).
    current_revision = models.ForeignKey(
        "SchemaRevision",
        verbose_name="当前申报书结构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Put before the year in 申报编号 (XM2025-150200-001), so two calls of one year never share a number.
    number_prefix = models.CharField("申报编号前缀", max_length=6, blank=True)
    is_example = models.BooleanField("示例批次", default=False)
    copied_from = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_opens_at = models.DateTimeField("申报开始时间", null=True, blank=True)
    applicant_closes_at = models.DateTimeField("申报截止时间", null=True, blank=True)
    recommend_deadline = models.DateTimeField("盟市推荐截止时间", null=True, blank=True)
    acceptance_deadline = models.DateTimeField("自治区受理截止时间", null=True, blank=True)
    scoring_deadline = models.DateTimeField("专家评审截止时间", null=True, blank=True)
    is_published = models.BooleanField("已发布", default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"

    def __str__(self):
        return self.name

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its code."""
        return self.code

    @property
    def schema(self):
        """The schema of the current revision, for this call's year (RevisionMissing when there is none)."""
        if self.current_revision_id is None:
            raise RevisionMissing(f"申报批次“{self.name}”尚未发布申报书结构。")
        return revision_schema(self.current_revision_id, self.year)

    def is_open(self, now=None):
        return self.phase(now) == self.Phase.OPEN

    def phase(self, now=None):
        now = now or timezone.now()
        if not self.is_published or not (self.applicant_opens_at and self.applicant_closes_at):
            return self.Phase.UNPUBLISHED
        if now < self.applicant_opens_at:
            return self.Phase.NOT_YET_OPEN
        if now < self.applicant_closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED


class RevisionMissing(Exception):
    """The schema revision a call or version answers is not there, or not what it was: nothing is shown
    with another one in its place (calls.middleware turns this into a clear page)."""


class RevisionManager(models.Manager):
    def get_queryset(self):
        # A revision's text (tens of KB) is read only when it is built for the first time in a process
        # (calls.schema.loader.schema_for); everything else needs its digest alone.
        return super().get_queryset().defer("source")


class SchemaRevision(models.Model):
    """One text of a call's schema, never changed once stored: published, it is what applicants answer."""

    call = models.ForeignKey(Call, verbose_name="申报批次", on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    source = models.TextField("结构文本（YAML）")
    digest = models.CharField("SHA-256", max_length=64)
    origin = models.CharField("来源", max_length=200)  # 数据迁移 calls/schemas/…, 上传字段表 …, 复制自 …
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RevisionManager()

    class Meta:
        verbose_name = "申报书结构版本"
        verbose_name_plural = "申报书结构版本"
        ordering = ["call", "number"]
        base_manager_name = "objects"  # application.schema_revision and the like leave the text behind too
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="one_revision_number_per_call")]

    def __str__(self):
        return f"{self.call} 申报书结构第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("申报书结构版本一经保存不可修改；请上传新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("申报书结构版本不可删除。")

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its call's code and its number."""
        return f"{self.call.code} 第{self.number}版"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def short_digest(self):
        return self.digest[:12]

    def schema_at(self, year):
        """This text built for a call of `year`; refused when the stored text no longer has its digest."""
        _DIGESTS[self.pk] = self.digest
        return revision_schema(self.pk, year)


# Each revision's digest by id, kept for the process like the schemas built from them (calls.schema.loader):
# a revision never changes, so finding an application's or a version's schema needs no join and no query.
_DIGESTS: dict[int, str] = {}


def revision_digest(pk):
    digest = _DIGESTS.get(pk)
    if digest is None:
        digest = SchemaRevision.objects.values_list("digest", flat=True).get(pk=pk)
        _DIGESTS[pk] = digest
    return digest


def revision_schema(pk, year):
    """The schema of revision `pk` for a call of `year`, its text read and its digest checked only the first
    time in a process; RevisionMissing when the text no longer has its digest or does not build."""

    def read():
        return SchemaRevision.objects.values_list("source", flat=True).get(pk=pk)

    try:
        return schema_for(revision_digest(pk), year, read, "申报书结构")
    except SchemaError as exc:
        raise RevisionMissing(str(exc)) from exc


def forget_revisions():
    """Drop the digests kept by id (tests: an id may name another revision after a rollback)."""
    _DIGESTS.clear()


class DeadlineExtension(models.Model):
    """The 自治区 gives one 盟市 more time to recommend (推荐) than the call's deadline allows."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="extensions")
    region = models.ForeignKey("regions.Region", verbose_name="盟市", on_delete=models.PROTECT, related_name="+")
    recommend_until = models.DateTimeField("延长至")
    reason = models.TextField("延长理由")
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "推荐截止时间延长"
        verbose_name_plural = "推荐截止时间延长"
        constraints = [models.UniqueConstraint(fields=["call", "region"], name="one_extension_per_call_region")]

    def __str__(self):
        return f"{self.region} {self.recommend_until:%Y-%m-%d %H:%M}"

"""A call (申报批次): a published guide with its year and its windows, in Asia/Shanghai time."""

from django.db import models
from django.utils import timezone


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
    # The file under calls/schemas/ that declares this call's form, rules and documents.
    schema_code = models.CharField("申报书结构", max_length=50, default="cluster_2024")
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
    def schema(self):
        from calls.schema import load_schema

        return load_schema(self.schema_code, self.year)

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

"""What reviewers record about an application: site visits, recommendations, expert scores, the decision.

The state itself and the log of every move live on the application (applications.models.Status and
Transition); the rules for moving are in applications.workflow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts import scoping


def review_file_path(instance, filename):
    # As for applicants' evidence: a random stored name with the recognised type's extension only.
    suffix = filename[filename.rfind(".") :] if "." in filename else ""
    return f"reviews/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class ReviewFile(models.Model):
    """A file a reviewer uploaded (a sealed scan, a photo): recognised by content, kept with its hash."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=review_file_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its kind, id and application, never the file's name."""
        return f"{self._meta.verbose_name} #{self.pk}（{self.application.audit_label}）"


class SiteVisit(models.Model):
    """实地核实: the 盟市 went to see the cluster — when, who went, what they found."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="site_visits")
    version = models.ForeignKey("applications.Version", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("核实日期")
    people = models.CharField("核实人员", max_length=200)
    findings = models.TextField("核实情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "实地核实"
        verbose_name_plural = "实地核实"
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.people}"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): never who went or what they found."""
        return f"实地核实 #{self.pk}（{self.application.audit_label}）"


class SiteVisitPhoto(ReviewFile):
    site_visit = models.ForeignKey(SiteVisit, on_delete=models.PROTECT, related_name="photos")

    class Meta:
        verbose_name = "核实照片"
        verbose_name_plural = "核实照片"
        ordering = ["pk"]


class Recommendation(ReviewFile):
    """推荐: the 盟市's opinion and its sealed 推荐文件, for the version it recommended."""

    version = models.ForeignKey("applications.Version", on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("推荐意见")

    class Meta:
        verbose_name = "推荐文件"
        verbose_name_plural = "推荐文件"
        ordering = ["-uploaded_at", "-pk"]


class CountersignQuerySet(models.QuerySet):
    def of_version(self, version):
        """The opinions given on `version`: each submission asks for fresh ones."""
        return self.filter(version=version)


class Countersign(models.Model):
    """会签: a participating 盟市's opinion (同意/不同意 and why) on one submitted version of a cross-盟市
    application, given before the lead 盟市 recommends it. One per 盟市 per version, never changed."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="countersigns")
    version = models.ForeignKey("applications.Version", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="参与盟市", on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField("会签结论")
    opinion = models.TextField("会签意见")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("会签时间", default=timezone.now)

    objects = CountersignQuerySet.as_manager()

    class Meta:
        verbose_name = "会签意见"
        verbose_name_plural = "会签意见"
        ordering = ["-version__number", "region__code", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "region"], name="one_countersign_per_region")]

    def __str__(self):
        return f"{self.application.number} 第{self.version.number}版 {self.region.name}会签"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its id and application, never the opinion."""
        return f"会签意见 #{self.pk}（{self.application.audit_label}）"

    @property
    def verdict(self):
        return "同意" if self.agrees else "不同意"


class ExpertReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those of these reviews `user` may see. The rule is accounts.scoping.expert_reviews_for's; this
        is its door on the model, so scoping never imports ExpertReview (a lower layer may not)."""
        return scoping.expert_reviews_for(user, self)

    def readable(self):
        """Reviews whose expert may read the application (see ExpertReview.Status.readable)."""
        return self.filter(status__in=ExpertReview.Status.readable())

    def pending(self):
        """Reviews whose expert still owes a declaration or the scores (ExpertReview.Status.pending)."""
        return self.filter(status__in=ExpertReview.Status.pending())

    def current(self):
        """Tasks the expert has or had: a rule exclusion never was one, and a withdrawn one no longer is."""
        return self.exclude(status__in=(ExpertReview.Status.EXCLUDED, ExpertReview.Status.REMOVED))


class ExpertReview(models.Model):
    """One expert's part in one application: assignment, conflict declaration, scores and opinion."""

    class Status(models.TextChoices):
        EXCLUDED = "excluded", "规则回避"  # the platform excluded the expert (same organisation or 盟市)
        ASSIGNED = "assigned", "待声明"  # assigned; must declare conflicts before seeing the content
        SCORING = "scoring", "评审中"  # declared no conflict; may read and score
        RECUSED = "recused", "已回避"  # declared a conflict of interest
        SUBMITTED = "submitted", "已提交"
        REMOVED = "removed", "已撤回分配"  # the 自治区 withdrew the task (the expert did not respond in time)

        @classmethod
        def readable(cls):
            """The expert declared no conflict, so the application's content is open to them."""
            return (cls.SCORING, cls.SUBMITTED)

        @classmethod
        def pending(cls):
            """The expert still owes something: a conflict declaration, or the scores."""
            return (cls.ASSIGNED, cls.SCORING)

        @classmethod
        def finished(cls):
            """Nothing more is expected of the expert: submitted, recused, excluded by rule, or withdrawn."""
            return (cls.SUBMITTED, cls.RECUSED, cls.EXCLUDED, cls.REMOVED)

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="expert_reviews")
    version = models.ForeignKey("applications.Version", on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_reviews")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    exclusion_reason = models.CharField("回避原因", max_length=200, blank=True)
    conflict_statement = models.TextField("利益冲突说明", blank=True)
    declared_at = models.DateTimeField("声明时间", null=True, blank=True)
    scores = models.JSONField("各项得分", default=dict)  # rubric dimension key -> "12.5"
    comments = models.JSONField("各项评语", default=dict)  # rubric dimension key -> text
    opinion = models.TextField("总体意见", blank=True)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, null=True, blank=True)
    saved_at = models.DateTimeField("保存时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("分配时间", default=timezone.now)

    objects = ExpertReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        ordering = ["application", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_review_per_expert")]

    def __str__(self):
        return f"{self.application.number} {self.expert}"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): never a comment or the opinion."""
        return f"专家评审 #{self.pk}（{self.application.audit_label}）"

    @property
    def is_finished(self):
        """Nothing more is expected of this expert here: submitted, recused, excluded by rule, or withdrawn."""
        return self.status in self.Status.finished()

    @property
    def is_readable(self):
        """The expert declared no conflict, so the application's content is open to them."""
        return self.status in self.Status.readable()

    @property
    def is_pending(self):
        """The expert still owes a conflict declaration or the scores."""
        return self.status in self.Status.pending()

    # One property per state the pages tell apart, so that no template compares status strings.

    @property
    def awaits_declaration(self):
        return self.status == self.Status.ASSIGNED

    @property
    def is_scoring(self):
        return self.status == self.Status.SCORING

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_recused(self):
        return self.status == self.Status.RECUSED

    @property
    def is_excluded(self):
        """规则回避: the platform kept the expert out (same organisation or 盟市)."""
        return self.status == self.Status.EXCLUDED


class Decision(models.Model):
    """The 自治区's decision: 拟支持 with an amount and a 公示 period, or 不予支持 with a reason."""

    class Outcome(models.TextChoices):
        SUPPORT = "support", "拟支持"
        REJECT = "reject", "不予支持"

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="decision")
    version = models.ForeignKey("applications.Version", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("决定", max_length=10, choices=Outcome.choices)
    amount = models.DecimalField("奖补金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    publicity_starts = models.DateField("公示开始日期", null=True, blank=True)
    publicity_ends = models.DateField("公示结束日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", default=timezone.now)
    closed_at = models.DateTimeField("立项时间", null=True, blank=True)

    class Meta:
        verbose_name = "评审决定"
        verbose_name_plural = "评审决定"
        constraints = [
            models.CheckConstraint(
                name="support_has_amount_and_publicity",
                condition=~models.Q(outcome="support")
                | models.Q(amount__isnull=False, publicity_starts__isnull=False, publicity_ends__isnull=False),
                violation_error_message="拟支持须填写奖补金额和公示期。",
            ),
        ]

    def __str__(self):
        return f"{self.application.number} {self.get_outcome_display()}"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its id and application, never the reason."""
        return f"评审决定 #{self.pk}（{self.application.audit_label}）"

    @property
    def supports(self):
        """拟支持 (rather than 不予支持)."""
        return self.outcome == self.Outcome.SUPPORT

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
        """Tasks the expert has or had: a rule exclusion never was one; a withdrawn, declined or unanswered
        invitation no longer is."""
        return self.exclude(status__in=ExpertReview.Status.not_taken())


class ExpertReview(models.Model):
    """One expert's part in one application: assignment, conflict declaration, scores and opinion."""

    class Status(models.TextChoices):
        EXCLUDED = "excluded", "规则回避"  # the platform excluded the expert (same organisation or 盟市)
        ASSIGNED = "assigned", "待声明"  # assigned; must declare conflicts before seeing the content
        SCORING = "scoring", "评审中"  # declared no conflict; may read and score
        RECUSED = "recused", "已回避"  # declared a conflict of interest
        SUBMITTED = "submitted", "已提交"
        REMOVED = "removed", "已撤回分配"  # the 自治区 withdrew the task (the expert did not respond in time)
        DECLINED = "declined", "已谢绝"  # a drawn expert declined the invitation (with a reason)
        EXPIRED = "expired", "逾期未答复"  # a drawn expert did not answer the invitation in time

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
            """Nothing more is expected of the expert: submitted, recused, excluded by rule, withdrawn, declined."""
            return (cls.SUBMITTED, cls.RECUSED, cls.EXCLUDED, cls.REMOVED, cls.DECLINED, cls.EXPIRED)

        @classmethod
        def not_taken(cls):
            """Never a task, or no longer one: excluded by rule, withdrawn, declined or unanswered."""
            return (cls.EXCLUDED, cls.REMOVED, cls.DECLINED, cls.EXPIRED)

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
    # How the expert came: by a draw (随机抽取, reviews/draws.py), or chosen by hand with the reason typed.
    draw = models.ForeignKey(
        "ExpertDraw", verbose_name="专家抽取", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    manual_reason = models.CharField("人工选择理由", max_length=200, blank=True)
    respond_by = models.DateTimeField("答复截止时间", null=True, blank=True)
    decline_reason = models.CharField("谢绝理由", max_length=200, blank=True)

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

    @property
    def is_declined(self):
        """The drawn expert declined, or did not answer by the time limit: a reserve came instead."""
        return self.status in (self.Status.DECLINED, self.Status.EXPIRED)

    @property
    def awaits_answer(self):
        """A drawn expert's invitation still open: it accepts by declaring, or declines."""
        return self.status == self.Status.ASSIGNED and self.respond_by is not None


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


def objection_file_path(instance, filename):
    # A random stored name with the recognised type's extension only, as for every upload.
    suffix = filename[filename.rfind(".") :] if "." in filename else ""
    return f"objections/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class ObjectionQuerySet(models.QuerySet):
    def unanswered(self):
        """Objections the 自治区 has not yet answered: while one is, 立项 is refused (applications.workflow)."""
        return self.filter(answered_at__isnull=True)

    def upheld(self):
        """Objections the 自治区 found 成立: 立项 is refused, 不予支持 (revoke) is offered instead."""
        return self.filter(result=Objection.Result.UPHELD)


class Objection(models.Model):
    """异议: a named person's objection to an application in 公示, sent from the public 公示 page.

    实名 (name, 单位, phone), the text and an optional file recognised by content; answered by the 自治区
    with a result (成立 / 不成立) and its 处理意见. Anyone may send one, so nothing here is shown publicly."""

    class Result(models.TextChoices):
        UPHELD = "upheld", "成立"
        DISMISSED = "dismissed", "不成立"

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="objections")
    name = models.CharField("姓名", max_length=30)
    organisation = models.CharField("工作单位", max_length=100)
    phone = models.CharField("联系电话", max_length=20)
    content = models.TextField("异议内容")
    file = models.FileField(upload_to=objection_file_path, max_length=200, blank=True)
    original_name = models.CharField("附件文件名", max_length=255, blank=True)
    file_type = models.CharField("附件类型", max_length=10, blank=True)
    size = models.PositiveBigIntegerField("附件大小（字节）", null=True, blank=True)
    sha256 = models.CharField("附件 SHA-256", max_length=64, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    result = models.CharField("核实结果", max_length=10, choices=Result.choices, blank=True)
    response = models.TextField("处理意见", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="objection_answer_is_whole",
                condition=models.Q(answered_at__isnull=True, result="")
                | models.Q(answered_at__isnull=False, result__in=["upheld", "dismissed"]),
                violation_error_message="答复异议须同时填写核实结果和答复时间。",
            ),
        ]

    def __str__(self):
        return f"{self.application.number} 异议 #{self.pk}"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its id and application, never who or what."""
        return f"异议 #{self.pk}（{self.application.audit_label}）"

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def is_upheld(self):
        return self.result == self.Result.UPHELD

    @property
    def has_file(self):
        return bool(self.file)


# --- 专家库 and 随机抽取 (reviews/pool.py, reviews/draws.py) ---


class ExpertProfile(models.Model):
    """An expert account's entry in the 专家库: 职称, 专业领域, status and declared ties.

    Name (姓名), 单位 (工作单位), 盟市 and contact live on the account (accounts.User), where the rule
    exclusion of reviews/experts.py has always read them."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "可用"
        PAUSED = "paused", "暂停"

    expert = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile")
    title = models.CharField("职称", max_length=30, blank=True)
    # 专业领域 codes of calls/expertise.py, stored ",a,b," so one field is found by a plain `contains`
    # on every database (SQLite has no JSON containment).
    field_codes = models.CharField("专业领域", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "专家库条目"
        verbose_name_plural = "专家库"
        ordering = ["expert__full_name", "pk"]

    def __str__(self):
        return self.expert.full_name

    @property
    def audit_label(self):
        """How the audit log names it: the account's login name, as for any account."""
        return f"专家库条目 #{self.pk}（{self.expert.username}）"

    @property
    def fields(self):
        return [c for c in self.field_codes.split(",") if c]

    @fields.setter
    def fields(self, codes):
        self.field_codes = f",{','.join(codes)}," if codes else ""

    @property
    def is_paused(self):
        return self.status == self.Status.PAUSED


class ExpertTie(models.Model):
    """An organisation the expert declared a tie to (任职、兼职、持股、近三年合作…): never drawn for it."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="ties")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("单位名称", max_length=100)

    class Meta:
        verbose_name = "关联单位"
        verbose_name_plural = "关联单位"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["profile", "credit_code"], name="one_tie_per_organisation")]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class ExpertDraw(models.Model):
    """随机抽取: one draw of experts for an application, or for a 评审组 of applications of one call.

    Everything the draw read is kept — the pool as it stood (`snapshot`), the rules and parameters
    (`rules`), the seed — and its outcome (`result`), so reviews.draws.reproduce(draw) re-runs it and
    must give the same experts. The record is never edited; invitations and replacements live on the
    ExpertReview rows that point here."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="+")
    applications = models.ManyToManyField("applications.Application", related_name="expert_draws")
    experts_wanted = models.PositiveSmallIntegerField("抽取人数")
    reserves_wanted = models.PositiveSmallIntegerField("备选人数")
    workload_cap = models.PositiveSmallIntegerField("每名专家在审任务上限")
    respond_by = models.DateTimeField("答复截止时间")
    seed = models.CharField("随机种子", max_length=64)
    rules = models.JSONField("抽取规则")
    snapshot = models.JSONField("专家库快照")
    result = models.JSONField("抽取结果")  # {"drawn": [ids], "reserves": [ids], "excluded": [{"id", "reason"}]}
    reserves_used = models.PositiveSmallIntegerField("已递补人数", default=0)
    supervisor = models.CharField("监督人", max_length=30, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审组组长",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = "专家抽取记录"
        verbose_name_plural = "专家抽取记录"
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"专家抽取 #{self.pk}"

    @property
    def audit_label(self):
        """How the audit log names it: its id, never who was drawn."""
        return f"专家抽取记录 #{self.pk}"

    @property
    def drawn_ids(self):
        return list(self.result.get("drawn", ()))

    @property
    def reserve_ids(self):
        return list(self.result.get("reserves", ()))

    @property
    def reserves_left(self):
        return len(self.reserve_ids) - self.reserves_used

"""Users, their roles, and the 申报单位 (cluster promotion organisations) they act for."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from accounts.validators import validate_credit_code, validate_mobile


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报单位"
    BUREAU = "bureau", "盟市工信局"
    DEPARTMENT = "department", "自治区工信厅"
    EXPERT = "expert", "评审专家"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 三员分立: the three operator roles, each created at deployment, none able to do another's job.
OPERATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# Business staff accounts the system administrator creates in the web interface.
STAFF_ROLES = (Role.BUREAU, Role.DEPARTMENT, Role.EXPERT)


class Organisation(models.Model):
    """A 集群促进组织 registered as 申报单位; its 盟市工信局 approves it before it may apply."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    name = models.CharField("单位名称", max_length=100)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已注册。如需找回账号，请联系所属盟市工业和信息化局。"},
    )
    legal_representative = models.CharField("法定代表人", max_length=30)
    address = models.CharField("单位地址", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属盟市", on_delete=models.PROTECT, related_name="organisations"
    )
    contact_name = models.CharField("联系人", max_length=30)
    contact_mobile = models.CharField("联系人手机号码", max_length=11, validators=[validate_mobile])
    email = models.EmailField("电子邮箱")

    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    review_reason = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "申报单位"
        verbose_name_plural = "申报单位"

    def __str__(self):
        return self.name

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its 统一社会信用代码, never its name."""
        return self.credit_code

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self):
        """Registered and waiting for its 盟市工信局 to review it."""
        return self.status == self.Status.PENDING

    @property
    def is_rejected(self):
        """Its 盟市工信局 turned the registration down; the applicant may correct it and resubmit."""
        return self.status == self.Status.REJECTED


class User(AbstractUser):
    """One person's account. Applicants log in with their organisation's 统一社会信用代码."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    full_name = models.CharField("姓名", max_length=30)
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[validate_mobile])
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="申报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属盟市",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="盟市工信局账号所属的盟市；评审专家可填写所在盟市，用于回避。",
    )
    affiliation = models.CharField("工作单位", max_length=100, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        ordering = ["username"]
        verbose_name = "账号"
        verbose_name_plural = "账号"
        constraints = [
            models.CheckConstraint(
                name="applicant_has_organisation",
                condition=~models.Q(role="applicant") | models.Q(organisation__isnull=False),
                violation_error_message="申报单位账号必须关联申报单位。",
            ),
            models.CheckConstraint(
                name="bureau_has_region",
                condition=~models.Q(role="bureau") | models.Q(region__isnull=False),
                violation_error_message="盟市工信局账号必须选择所属盟市。",
            ),
        ]

    def __str__(self):
        return f"{self.full_name or self.username}（{self.get_role_display()}）"

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): the login name (a 申报单位's is its credit code)."""
        return self.username

    @property
    def is_operator(self):
        return self.role in OPERATOR_ROLES

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """A hash of a password the user has set, so the last few cannot come back (等保 三级)."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self):
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"

"""The security policy the 安全管理员 sets at run time: one row, bounded by 等保 三级 ranges."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

MB = 1024 * 1024


class Bound(NamedTuple):
    low: int
    high: int
    unit: str
    env: str  # the environment variable that gives the default (docs/configuration.md)


# The 等保 三级 ranges, in one table: the model's validators (the 安全管理员's form) and the start-up
# check on the environment's defaults (security/checks.py) both read it.
BOUNDS = {
    "login_failure_limit": Bound(3, 10, "次", "SHENBAO_LOGIN_FAILURE_LIMIT"),
    "lockout_minutes": Bound(10, 1440, "分钟", "SHENBAO_LOCKOUT_MINUTES"),
    "idle_timeout_minutes": Bound(5, 30, "分钟", "SESSION_IDLE_MINUTES"),
    "password_max_age_days": Bound(30, 180, "天", "SHENBAO_PASSWORD_MAX_AGE_DAYS"),
    "password_history": Bound(3, 24, "次", "SHENBAO_PASSWORD_HISTORY"),
    "upload_max_mb": Bound(1, 100, "MB", "SHENBAO_UPLOAD_MAX_MB"),
}


def _bounded(name):
    low, high, unit, _ = BOUNDS[name]
    message = f"请填写 {low} 至 {high} 之间的整数（单位：{unit}），以符合等级保护三级要求。"
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


def _help(name, text):
    """The field's help text with its range from BOUNDS, so the page never states another range."""
    low, high, unit, _ = BOUNDS[name]
    return f"{text}（{low}–{high} {unit}）。"


class SecurityPolicy(models.Model):
    """The only row (pk 1). Until the 安全管理员 first saves it, the values come from the environment."""

    SINGLETON_PK = 1

    login_failure_limit = models.PositiveSmallIntegerField(
        "登录失败锁定次数",
        validators=_bounded("login_failure_limit"),
        help_text=_help("login_failure_limit", "连续登录失败达到此次数即锁定账号"),
    )
    lockout_minutes = models.PositiveIntegerField(
        "锁定时长",
        validators=_bounded("lockout_minutes"),
        help_text=_help("lockout_minutes", "账号锁定后自动解锁前的等待时间"),
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "会话空闲超时",
        validators=_bounded("idle_timeout_minutes"),
        help_text=_help("idle_timeout_minutes", "无操作超过此时间即退出登录"),
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期",
        validators=_bounded("password_max_age_days"),
        help_text=_help("password_max_age_days", "密码超过此天数须修改后方可继续使用"),
    )
    password_history = models.PositiveSmallIntegerField(
        "密码历史",
        validators=_bounded("password_history"),
        help_text=_help("password_history", "新密码不能与最近此次数使用过的密码相同"),
    )
    upload_max_mb = models.PositiveSmallIntegerField(
        "单个附件大小上限",
        validators=_bounded("upload_max_mb"),
        help_text=_help("upload_max_mb", "每个上传附件的最大大小"),
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)  # set by security.policy.change()
    updated_by = models.ForeignKey(
        "accounts.User", verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    POLICY_FIELDS = (
        "login_failure_limit",
        "lockout_minutes",
        "idle_timeout_minutes",
        "password_max_age_days",
        "password_history",
        "upload_max_mb",
    )

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [models.CheckConstraint(name="security_policy_singleton", condition=models.Q(pk=1))]

    def __str__(self):
        return "安全策略"

    @classmethod
    def from_settings(cls):
        """The defaults: what the environment configured (docs/configuration.md)."""
        return cls(
            pk=cls.SINGLETON_PK,
            login_failure_limit=settings.SHENBAO_LOGIN_FAILURE_LIMIT,
            lockout_minutes=settings.SHENBAO_LOCKOUT_MINUTES,
            idle_timeout_minutes=int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
            password_max_age_days=settings.SHENBAO_PASSWORD_MAX_AGE_DAYS,
            password_history=settings.SHENBAO_PASSWORD_HISTORY,
            upload_max_mb=settings.SHENBAO_UPLOAD_MAX_BYTES // MB,
        )

    def values(self):
        return {name: getattr(self, name) for name in self.POLICY_FIELDS}

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_timeout_minutes)

    @property
    def password_max_age(self) -> timedelta:
        return timedelta(days=self.password_max_age_days)

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * MB

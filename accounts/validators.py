"""Validators for what people type when they register and log in: 信用代码, mobile, password."""

import re
import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

# GB 32100-2015: 18 characters from 0-9 and the capital letters without I, O, S, V, Z.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN_LETTERS = "IOSVZ"


# Spaces and the dashes people put between the parts of a code (登记管理部门码-机构类别码-…, or the
# 组织机构代码's XXXXXXXX-X), in every width an input method produces; NFKC has made the full-width ones ASCII.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise_credit_code(value: str) -> str:
    """Full-width characters from a Chinese input method become ASCII; spaces and dashes go; letters go
    upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def is_credit_code(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def login_name(value: str) -> str:
    """The account name to sign in with: a 统一社会信用代码 typed in any form registration accepts (full-width,
    lower case, spaced, dashed) becomes the stored upper-case code; anything else (a staff account's name)
    is left exactly as typed."""
    value = value or ""
    code = normalise_credit_code(value)
    return code if is_credit_code(code) else value


def axes_username(request, credentials=None) -> str:
    """django-axes' key for failures and lockout (AXES_USERNAME_CALLABLE): the login name, so "abc…" and
    "ABC…" count toward one lock."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username", "")
    return login_name(str(typed or ""))


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Check a 统一社会信用代码 against GB 32100-2015 and say exactly what is wrong."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位，您输入了%(n)d位。", code="length", params={"n": len(code)})
    for position, char in enumerate(code, start=1):
        if char in CREDIT_CODE_CHARSET:
            continue
        if char in FORBIDDEN_LETTERS:
            message = "第%(pos)d位字符“%(char)s”无效：统一社会信用代码不使用字母 I、O、S、V、Z。"
        else:
            message = "第%(pos)d位字符“%(char)s”无效：统一社会信用代码只含数字和大写英文字母。"
        raise ValidationError(message, code="character", params={"pos": position, "char": char})
    if not code[2:8].isdigit():
        raise ValidationError("第3至8位应为登记管理机关的行政区划代码（6位数字）。", code="region")
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            "校验码不符：第18位与前17位计算出的校验码不一致，请对照营业执照逐位核对。",
            code="check_digit",
        )


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError("请输入11位手机号码，例如 13912345678。", code="mobile")


class CharacterClassValidator:
    """等保 三级 password complexity: at least `min_classes` of upper, lower, digit and symbol."""

    CLASSES = (
        ("大写字母", str.isupper),
        ("小写字母", str.islower),
        ("数字", str.isdigit),
        ("特殊符号", lambda c: not c.isalnum() and not c.isspace()),
    )

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _, test in self.CLASSES if any(test(c) for c in password if c.isascii()))
        if present < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"至少包含大写字母、小写字母、数字、特殊符号中的{self.min_classes}类。"


class NotRecentlyUsedValidator:
    """等保 三级: a new password may not be any of the last `history` ones, the current one included.

    Django calls password_changed() after a user with a new password is saved; that keeps the history.
    """

    def __init__(self, history: int | None = None):
        self._history = history

    @property
    def history(self) -> int:
        from security.policy import current

        return self._history or current().password_history

    def validate(self, password, user=None):
        from accounts.passwords import was_recently_used

        if user is not None and was_recently_used(user, password, self.history):
            raise ValidationError(
                "新密码不能与最近 %(n)d 次使用过的密码相同。",
                code="password_recently_used",
                params={"n": self.history},
            )

    def password_changed(self, password, user=None):
        from accounts.passwords import remember

        if user is not None:
            remember(user, self.history)

    def get_help_text(self):
        return f"不能与最近 {self.history} 次使用过的密码相同。"


# --- Django's password validators, saying in Chinese what to change (AUTH_PASSWORD_VALIDATORS) ---
# Django 5.2 changed the "too short" sentence and its zh-hans catalogue has no translation of the new one,
# so the English came through; the others are translated but say nothing of what to do instead.


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                "密码太短：至少需要 %(min_length)d 个字符，现为 %(length)d 个，请加长。",
                code="password_too_short",
                params={"min_length": self.min_length, "length": len(password)},
            )

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Compared with the account name (an applicant's 信用代码), the person's name and e-mail address."""

    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def get_error_message(self):
        return "密码与您的%(verbose_name)s过于相似，容易被猜中，请换一个不含账号、姓名或电子邮箱内容的密码。"

    def get_help_text(self):
        return "不能与账号、姓名或电子邮箱相似。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "这个密码是常见密码，容易被猜中，请换一个。"

    def get_help_text(self):
        return "不能是常见密码。"

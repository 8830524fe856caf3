"""Validators for what people type when they register and log in: 信用代码, mobile, password."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# GB 32100-2015: 18 characters from 0-9 and the capital letters without I, O, S, V, Z.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN_LETTERS = "IOSVZ"


def normalise_credit_code(value: str) -> str:
    """Full-width characters from a Chinese input method become ASCII; spaces go; letters go upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


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

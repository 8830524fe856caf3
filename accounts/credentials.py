"""三员分立: one-time passwords and account-security notices go to the account holder only — by SMS to
the registered mobile and by e-mail — never to the 系统管理员's screen, so an administrator cannot sign
in as somebody else. Notices of a reset or a changed contact go to the holder's contact details as they
were before the change.

Nothing here is stored as an in-app notification: a password must not sit in the database. Sending
waits for the commit (a change that rolls back tells nobody anything); a failed send is logged and the
holder can ask for another reset.
"""

import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction

from notifications.service import SUBJECT_PREFIX
from notifications.sms import get_sms_sender, mask

logger = logging.getLogger("accounts.credentials")

NO_CONTACT = "该账号未登记手机号码和电子邮箱，无法发送临时密码，请先补全联系方式"
SIGNATURE = "此消息由内蒙古先进制造业集群申报系统自动发送，请勿回复。"


@dataclass(frozen=True)
class Contact:
    """Where the holder is reached, read before any change is made."""

    mobile: str
    email: str

    @classmethod
    def of(cls, user):
        return cls(mobile=(user.mobile or "").strip(), email=(user.email or "").strip())

    def __bool__(self):
        return bool(self.mobile or self.email)

    def channels(self) -> list[str]:
        """What the administrator may be told: where it went, masked, never what was sent."""
        shown = []
        if self.mobile:
            shown.append(f"短信（{mask(self.mobile)}）")
        if self.email:
            shown.append(f"电子邮件（{mask_email(self.email)}）")
        return shown


def mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


def has_contact(user) -> bool:
    return bool(Contact.of(user))


def send_temporary_password(user, password: str, *, new_account: bool) -> list[str]:
    """After the commit, send `password` to the holder's mobile and e-mail; returns the masked channels."""
    contact = Contact.of(user)
    if not contact:
        raise ValueError(NO_CONTACT)
    what = "已为您开通" if new_account else "您的密码已由系统管理员重置，"
    sms = f"{what}账号 {user.username}，临时密码 {password}，首次登录后须立即修改。如非本人申请，请联系系统管理员。"
    mail = (
        f"{user.full_name or user.username}：\n\n{what}账号 {user.username}。\n\n临时密码：{password}\n\n"
        "请尽快登录并按页面提示设置新密码；临时密码只能用于这一次登录。"
        "如果您没有申请过，请立即联系系统管理员。\n\n" + SIGNATURE
    )
    _send_after_commit(user.pk, contact, "账号临时密码", mail, sms)
    return contact.channels()


def send_security_notice(user, contact: Contact, event: str) -> list[str]:
    """Tell the holder, at `contact` (their details before the change), that `event` was done to their
    account by the 系统管理员 — so a change they did not ask for does not go unnoticed."""
    if not contact:
        return []
    text = f"您的账号 {user.username}：{event}。如非本人申请，请立即联系系统管理员。"
    _send_after_commit(user.pk, contact, "账号安全提醒", f"{text}\n\n{SIGNATURE}", text)
    return contact.channels()


def _send_after_commit(user_id, contact: Contact, subject: str, mail: str, sms: str) -> None:
    def send():
        if contact.email:
            try:
                send_mail(SUBJECT_PREFIX + subject, mail, None, [contact.email])
            except Exception:
                logger.exception("Account %s: e-mail %s failed", user_id, subject)
        if contact.mobile:
            try:
                get_sms_sender().send(contact.mobile, sms)
            except Exception:
                logger.exception("Account %s: SMS %s failed", user_id, subject)

    transaction.on_commit(send, robust=True)

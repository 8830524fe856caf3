"""notify(): tell people about an event, in the application and by e-mail and SMS.

The in-app message is written in the caller's transaction; e-mail and SMS go out only after it
commits, so a transition that rolls back tells nobody anything. A failed delivery is logged and
never breaks the caller.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from notifications.models import Notification, is_site_path
from notifications.sms import get_sms_sender

logger = logging.getLogger("notifications")

SUBJECT_PREFIX = "【内蒙古先进制造业集群申报】"


def notify(recipients, event, title, body="", url="", application=None, *, dedupe_key=""):
    """One Notification per distinct active recipient; returns the rows created.

    With a `dedupe_key`, a recipient who already has a notification with that key gets nothing new.
    """
    url = url if is_site_path(url) else ""
    created = []
    for user in _active_once(recipients):
        notification = Notification(
            recipient=user,
            event=event,
            title=title,
            body=body,
            url=url,
            application=application,
            dedupe_key=dedupe_key,
        )
        if dedupe_key:
            if not _save_once(notification):
                continue
        else:
            notification.save()
        created.append(notification)
    if created:
        transaction.on_commit(lambda: deliver(created), robust=True)
    return created


def _active_once(recipients):
    seen = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        yield user


def _save_once(notification):
    if Notification.objects.filter(recipient=notification.recipient, dedupe_key=notification.dedupe_key).exists():
        return False
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:  # another run saved the same key between the check and the insert
        return False
    return True


def deliver(notifications):
    """E-mail and SMS for notifications already committed; each failure is logged and skipped."""
    for notification in notifications:
        user = notification.recipient
        if user.email:
            _send_email(notification)
        if user.mobile:
            _send_sms(notification)


def _send_email(notification):
    try:
        send_mail(
            SUBJECT_PREFIX + notification.title,
            email_text(notification),
            None,  # DEFAULT_FROM_EMAIL
            [notification.recipient.email],
        )
    except Exception:
        logger.exception("Notification %s: e-mail to user %s failed", notification.pk, notification.recipient_id)


def _send_sms(notification):
    try:
        get_sms_sender().send(notification.recipient.mobile, sms_text(notification))
    except Exception:
        logger.exception("Notification %s: SMS to user %s failed", notification.pk, notification.recipient_id)


def email_text(notification):
    link = settings.SHENBAO_SITE_URL.rstrip("/") + (notification.url or reverse("notifications:list"))
    parts = [notification.body, f"查看详情：{link}", "此邮件由系统自动发送，请勿回复。"]
    return "\n\n".join(part for part in parts if part)


def sms_text(notification):
    return f"{notification.title}，请登录系统查看。"

"""Text messages: the interface a real SMS gateway implements, and a stand-in that only logs.

The sender is chosen by settings.SHENBAO_SMS_SENDER (a dotted path to a class). A real gateway
(阿里云短信, 腾讯云短信) subclasses SmsSender; the gateway adds the registered 短信签名 itself.
"""

import abc
import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class SmsSender(abc.ABC):
    @abc.abstractmethod
    def send(self, mobile: str, text: str) -> None:
        """Send `text` to the mainland mobile number `mobile` (11 digits), or raise on failure."""


class LoggingSender(SmsSender):
    """Writes each message to the log instead of sending it: the default until a gateway is configured."""

    def send(self, mobile: str, text: str) -> None:
        logger.info("短信 %s：%s", mask(mobile), text)


class SilentSender(SmsSender):
    """Sends nothing: for loading demo data, whose mobile numbers belong to nobody."""

    def send(self, mobile: str, text: str) -> None:
        pass


def mask(mobile: str) -> str:
    """139****0001: enough to tell numbers apart in a log without writing a person's number down."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


def get_sms_sender() -> SmsSender:
    return import_string(settings.SHENBAO_SMS_SENDER)()

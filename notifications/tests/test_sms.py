import logging

import pytest

from notifications.sms import LoggingSender, SmsSender, get_sms_sender


class QuietSender(SmsSender):
    def send(self, mobile, text):
        pass


def test_sms_sender_logs_the_text(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        LoggingSender().send("13904720001", "申报书被退回，请登录系统查看。")
    (record,) = [r for r in caplog.records if r.name == "notifications.sms"]
    assert record.levelno == logging.INFO
    assert "申报书被退回，请登录系统查看。" in record.getMessage()


def test_sms_log_masks_the_mobile_number(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        LoggingSender().send("13904720001", "text")
    assert "139****0001" in caplog.text
    assert "13904720001" not in caplog.text


def test_default_sender_is_the_logging_one():
    assert isinstance(get_sms_sender(), LoggingSender)


def test_sender_is_the_class_settings_name(settings):
    settings.SHENBAO_SMS_SENDER = "notifications.tests.test_sms.QuietSender"
    assert isinstance(get_sms_sender(), QuietSender)


def test_a_gateway_must_implement_send():
    class Incomplete(SmsSender):
        pass

    with pytest.raises(TypeError):
        Incomplete()

import logging
import smtplib

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.models import Role
from notifications.models import Event, Notification
from notifications.service import notify
from notifications.sms import SmsSender
from tests import factories


class RecordingSender(SmsSender):
    sent = []

    def send(self, mobile, text):
        self.sent.append((mobile, text))


class BrokenSender(SmsSender):
    def send(self, mobile, text):
        raise ConnectionError("gateway down")


@pytest.fixture
def recorded_sms(settings):
    settings.SHENBAO_SMS_SENDER = "notifications.tests.test_service.RecordingSender"
    RecordingSender.sent = []
    return RecordingSender.sent


def test_notify_creates_one_unread_row_per_active_recipient(applicant, bureau):
    gone = factories.user(Role.EXPERT, is_active=False)
    created = notify([applicant, bureau, applicant, gone], Event.SUBMITTED, "申报书已提交", body="请审核。")
    assert {n.recipient for n in created} == {applicant, bureau}
    assert Notification.objects.count() == 2
    assert all(n.read_at is None and n.event == Event.SUBMITTED for n in Notification.objects.all())


def test_notify_records_the_application_and_a_site_path(draft, applicant):
    (notification,) = notify([applicant], Event.RETURNED, "申报书被退回", url="/applications/1/", application=draft)
    notification.refresh_from_db()
    assert notification.application == draft
    assert notification.url == "/applications/1/"


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "applications/1/"]
)
def test_notify_stores_no_url_that_leaves_the_site(applicant, url):
    (notification,) = notify([applicant], Event.SUBMITTED, "标题", url=url)
    notification.refresh_from_db()
    assert notification.url == ""


def test_mail_is_sent_only_after_commit(applicant, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([applicant], Event.RETURNED, "申报书被退回", body="请补充附件。", url="/applications/7/")
        assert mailoutbox == []
    assert len(mailoutbox) == 1


@override_settings(SHENBAO_SITE_URL="https://shenbao.example.gov.cn")
def test_mail_has_the_platform_subject_the_body_and_a_full_link(
    applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify([applicant], Event.RETURNED, "申报书被退回", body="请补充附件。", url="/applications/7/")
    (mail,) = mailoutbox
    assert mail.subject == "【内蒙古先进制造业集群申报】申报书被退回"
    assert mail.to == [applicant.email]
    assert "请补充附件。" in mail.body
    assert "https://shenbao.example.gov.cn/applications/7/" in mail.body


def test_rolled_back_transaction_sends_no_mail(applicant, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify([applicant], Event.SUBMITTED, "申报书已提交")
            raise RuntimeError("the transition failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_recipient_without_an_address_gets_no_mail(make_user, mailoutbox, django_capture_on_commit_callbacks):
    nobody = make_user(Role.EXPERT)
    nobody.email = ""
    nobody.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify([nobody], Event.ASSIGNED, "新的评审任务")
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=nobody).exists()


def test_mail_failure_is_logged_and_never_breaks_the_caller(
    applicant, bureau, monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("mail server down")

    monkeypatch.setattr("notifications.service.send_mail", refuse)
    with caplog.at_level(logging.ERROR, logger="notifications"), django_capture_on_commit_callbacks(execute=True):
        created = notify([applicant, bureau], Event.SUBMITTED, "申报书已提交")
    assert len(created) == 2
    assert sum("e-mail" in r.getMessage() for r in caplog.records if r.name == "notifications") == 2


def test_sms_goes_only_to_recipients_with_a_mobile(
    applicant, make_user, recorded_sms, django_capture_on_commit_callbacks
):
    expert = make_user(Role.EXPERT, mobile="13904720001")
    with django_capture_on_commit_callbacks(execute=True):
        notify([applicant, expert], Event.ASSIGNED, "您有新的评审任务")
    assert recorded_sms == [("13904720001", "您有新的评审任务，请登录系统查看。")]


def test_sms_waits_for_the_commit_too(make_user, recorded_sms, django_capture_on_commit_callbacks):
    expert = make_user(Role.EXPERT, mobile="13904720001")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify([expert], Event.ASSIGNED, "您有新的评审任务")
            raise RuntimeError("rolled back")
    assert recorded_sms == []


def test_sms_failure_is_logged_and_mail_still_goes(
    make_user, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SHENBAO_SMS_SENDER = "notifications.tests.test_service.BrokenSender"
    expert = make_user(Role.EXPERT, mobile="13904720001")
    with caplog.at_level(logging.ERROR, logger="notifications"), django_capture_on_commit_callbacks(execute=True):
        notify([expert], Event.ASSIGNED, "您有新的评审任务")
    assert len(mailoutbox) == 1
    assert any("SMS" in r.getMessage() for r in caplog.records if r.name == "notifications")


def test_dedupe_key_notifies_each_recipient_once(applicant, bureau):
    assert len(notify([applicant], Event.DEADLINE, "即将截止", dedupe_key="deadline:1:1")) == 1
    again = notify([applicant, bureau], Event.DEADLINE, "即将截止", dedupe_key="deadline:1:1")
    assert [n.recipient for n in again] == [bureau]
    assert Notification.objects.filter(recipient=applicant).count() == 1


def test_without_a_dedupe_key_the_same_event_may_repeat(applicant):
    notify([applicant], Event.RETURNED, "申报书被退回")
    notify([applicant], Event.RETURNED, "申报书被退回")
    assert Notification.objects.filter(recipient=applicant).count() == 2


def test_nothing_is_sent_when_nobody_is_left(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify([], Event.SUBMITTED, "申报书已提交") == []
    assert callbacks == [] and mailoutbox == []


def test_a_misconfigured_sms_sender_is_logged_and_mail_still_goes(
    make_user, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SHENBAO_SMS_SENDER = "notifications.sms.NoSuchSender"
    first, second = make_user(Role.EXPERT, mobile="13904720001"), make_user(Role.EXPERT, mobile="13904720002")
    with caplog.at_level(logging.ERROR, logger="notifications"), django_capture_on_commit_callbacks(execute=True):
        notify([first, second], Event.ASSIGNED, "您有新的评审任务")
    assert len(mailoutbox) == 2

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.context_processors import unread
from notifications.models import Event, Notification
from notifications.service import notify

pytestmark = pytest.mark.usefixtures("steady_query_counts")  # counted queries

LIST = reverse("notifications:list")


def note(user, title="申报书被退回", url="", **fields):
    return Notification.objects.create(recipient=user, event=Event.RETURNED, title=title, url=url, **fields)


def test_list_asks_visitors_to_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_user_sees_only_own_notifications(client, applicant, bureau):
    note(applicant, "给申报单位的消息")
    note(bureau, "给盟市的消息")
    client.force_login(applicant)
    page = client.get(LIST).content.decode()
    assert "给申报单位的消息" in page
    assert "给盟市的消息" not in page


def test_list_shows_event_title_body_and_local_time_newest_first(client, applicant):
    older = note(applicant, "较早的消息", created_at=timezone.now() - timedelta(days=1))
    note(applicant, "最新的消息", body="请补充附件。")
    client.force_login(applicant)
    page = client.get(LIST).content.decode()
    assert page.index("最新的消息") < page.index("较早的消息")
    assert "退回修改" in page and "请补充附件。" in page
    assert timezone.localtime(older.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_unread_notifications_are_marked(client, applicant):
    note(applicant, "未读的消息")
    note(applicant, "已读的消息", read_at=timezone.now())
    client.force_login(applicant)
    page = client.get(LIST).content.decode()
    assert page.count('class="notification is-unread"') == 1
    assert page.count(">未读</span>") == 1


def test_empty_list_says_what_will_appear(client, applicant):
    client.force_login(applicant)
    page = client.get(LIST).content.decode()
    assert "暂无消息。申报、审核、评审等事项有进展时，会在这里通知您。" in page
    assert "全部标为已读" not in page


def test_list_shows_twenty_per_page(client, applicant):
    for i in range(25):
        note(applicant, f"消息{i}", url="/")
    client.force_login(applicant)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count(">查看</button>") == 20
    assert second.count(">查看</button>") == 5
    assert "第 1 / 2 页" in first


def test_opening_marks_read_and_redirects(client, applicant, draft):
    target = reverse("applications:overview", args=[draft.pk])
    notification = note(applicant, url=target)
    client.force_login(applicant)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == target
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_needs_a_post(client, applicant):
    notification = note(applicant, url="/")
    client.force_login(applicant)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example", ""])
def test_open_refuses_offsite_url(client, applicant, url):
    notification = note(applicant, url=url)  # written directly, past notify()'s own check
    client.force_login(applicant)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_opening_someone_elses_notification_is_not_found(client, applicant, bureau):
    theirs = note(bureau, url="/")
    client.force_login(applicant)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_own_notifications_read(client, applicant, bureau):
    mine = [note(applicant), note(applicant)]
    theirs = note(bureau)
    client.force_login(applicant)
    response = client.post(reverse("notifications:read_all"))
    assert response["Location"] == LIST
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_bell_shows_unread_count(client, applicant):
    notify([applicant], Event.RETURNED, "一")
    notify([applicant], Event.RETURNED, "二")
    note(applicant, "已读", read_at=timezone.now())
    client.force_login(applicant)
    page = client.get(reverse("portal:home")).content.decode()
    bell = re.search(r'<a class="bell".*?</a>', page).group(0)
    assert 'aria-label="消息，2 条未读"' in bell
    assert '<span class="bell-count" aria-hidden="true">2</span>' in bell


def test_bell_has_no_badge_when_all_is_read(client, applicant):
    note(applicant, read_at=timezone.now())
    client.force_login(applicant)
    page = client.get(reverse("portal:home")).content.decode()
    assert f'<a class="bell" href="{LIST}">消息</a>' in page


def test_bell_caps_a_long_count(client, applicant):
    Notification.objects.bulk_create(
        Notification(recipient=applicant, event=Event.DEADLINE, title=str(i)) for i in range(120)
    )
    client.force_login(applicant)
    page = client.get(reverse("portal:home")).content.decode()
    assert ">99+</span>" in page and "消息，120 条未读" in page


def test_visitors_see_no_bell(client, db):
    assert 'class="bell"' not in client.get(reverse("accounts:login")).content.decode()


def test_error_pages_still_show_the_bell_to_a_signed_in_user(client, applicant):
    note(applicant)
    client.force_login(applicant)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "消息，1 条未读" in response.content.decode()


def test_unread_count_is_zero_for_visitors_and_requests_without_a_user(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    assert unread(request)["unread_notifications"] == 0
    request.user = AnonymousUser()
    assert unread(request)["unread_notifications"] == 0


def test_unread_count_is_not_queried_when_no_template_shows_it(applicant, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = applicant
    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 0

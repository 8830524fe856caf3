"""The officials' inbox: scope per role, filters, hostile parameters, waiting order, pagination, deadlines."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Application, Status, Transition
from regions.models import Region
from tests import factories

INBOX = reverse("reviews:inbox")


def inbox(client, user, **params):
    client.force_login(user)
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def baotou(media, call):
    return factories.submitted_application("150200", data={"cluster_name": "包头稀土新材料产业集群"})


@pytest.fixture
def tongliao(media, call):
    return factories.submitted_application("150500", data={"cluster_name": "通辽铝基新材料产业集群"})


def test_bureau_inbox_lists_only_the_applications_its_region_leads(client, bureau, baotou, tongliao):
    page = inbox(client, bureau)
    assert baotou.number in page and "包头稀土新材料产业集群" in page
    assert tongliao.number not in page
    assert reverse("reviews:detail", args=[baotou.pk]) in page


def test_participating_applications_appear_only_under_the_read_only_tab(client, bureau, baotou, tongliao):
    tongliao.participating_regions.add(Region.objects.get(code="150200"))
    page = inbox(client, bureau)
    assert "参与的跨盟市申报（查看、会签）" in page
    assert tongliao.number not in page
    joined = inbox(client, bureau, tab="joined")
    assert tongliao.number in joined and baotou.number not in joined


def test_department_sees_every_submitted_application_but_no_draft(client, baotou, tongliao, applicant, call):
    draft = factories.application(applicant, call)
    page = inbox(client, factories.user(Role.DEPARTMENT))
    assert baotou.number in page and tongliao.number in page
    assert draft.number not in page
    assert "参与的跨盟市申报" not in page


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_other_roles_are_refused_the_inbox(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(INBOX).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_status_filter_keeps_only_that_state(client, baotou, tongliao):
    Application.objects.filter(pk=tongliao.pk).update(status=Status.RECOMMENDED)
    department = factories.user(Role.DEPARTMENT)
    page = inbox(client, department, status="recommended")
    assert tongliao.number in page and baotou.number not in page


@pytest.mark.parametrize("query", ["稀土", "2024-150200", "包头市测试产业集群促进会"])
def test_search_finds_by_number_cluster_name_or_organisation(client, baotou, tongliao, query):
    page = inbox(client, factories.user(Role.DEPARTMENT), q=query)
    assert baotou.number in page and tongliao.number not in page


def test_search_reads_the_submitted_name_not_a_returned_draft(client, bureau, baotou):
    Application.objects.filter(pk=baotou.pk).update(data={**baotou.data, "cluster_name": "草稿里改的名字"})
    assert baotou.number not in inbox(client, bureau, q="草稿里改的名字")
    assert baotou.number in inbox(client, bureau, q="稀土")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "foo"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"page": "abc"},
        {"q": "' OR 1=1; DROP TABLE applications_application; --"},
        {"call": "1; DROP TABLE calls_call"},
        {"tab": "<script>alert(1)</script>"},
        {"q": "x" * 500},
    ],
)
def test_hostile_parameters_are_handled_without_error(client, bureau, baotou, params):
    page = inbox(client, bureau, **params)
    assert "<script>alert(1)</script>" not in page
    assert Application.objects.filter(pk=baotou.pk).exists()


def test_an_unknown_status_is_reported_and_all_states_are_shown(client, bureau, baotou):
    page = inbox(client, bureau, status="foo")
    assert "没有这个状态" in page
    assert baotou.number in page


def test_a_search_with_sql_in_it_matches_nothing(client, bureau, baotou):
    page = inbox(client, bureau, q="' OR '1'='1")
    assert baotou.number not in page
    assert "没有符合筛选条件的申报" in page


def test_the_longest_waiting_application_comes_first(client, bureau, baotou, media):
    newer = factories.submitted_application("150200", data={"cluster_name": "包头装备制造产业集群"})
    Transition.objects.filter(application=newer).update(at=timezone.now() - timedelta(days=9))
    Transition.objects.filter(application=baotou).update(at=timezone.now() - timedelta(days=3))
    page = inbox(client, bureau)
    assert page.index(newer.number) < page.index(baotou.number)
    assert "已等待9天" in page and "已等待3天" in page


def test_the_inbox_shows_twenty_a_page_and_keeps_the_filters_when_paging(client, bureau, call):
    for _ in range(21):
        app = factories.application(factories.user(Role.APPLICANT), call)
        Application.objects.filter(pk=app.pk).update(status=Status.SUBMITTED)
    first = inbox(client, bureau, status="submitted")
    assert len(re.findall(r'class="mono">2024-150200-', first)) == 20
    assert "第 1 / 2 页" in first and "status=submitted&amp;page=2" in first
    second = inbox(client, bureau, status="submitted", page="2")
    assert len(re.findall(r'class="mono">2024-150200-', second)) == 1


def test_the_bureau_sees_its_recommendation_deadline_and_the_time_left(client, bureau, call):
    page = inbox(client, bureau)
    assert "本盟市推荐截止" in page and "还剩" in page
    call.recommend_deadline = timezone.now() - timedelta(hours=1)
    call.save()
    assert "已截止" in inbox(client, bureau)


def test_an_empty_inbox_says_what_will_appear_there(client, bureau, call):
    assert "目前没有本盟市牵头的申报" in inbox(client, bureau)
    assert "目前还没有已提交的申报" in inbox(client, factories.user(Role.DEPARTMENT))


def test_the_bureau_home_lists_the_applications_waiting_for_its_review(client, bureau, baotou, tongliao):
    client.force_login(bureau)
    page = client.get(reverse("portal:home")).content.decode()
    assert "待初审的申报" in page and baotou.number in page and tongliao.number not in page
    assert INBOX in page


def test_the_department_home_counts_what_waits_for_it(client, baotou, tongliao):
    Application.objects.filter(pk=baotou.pk).update(status=Status.RECOMMENDED)
    Application.objects.filter(pk=tongliao.pk).update(status=Status.AWAITING_DECISION)
    client.force_login(factories.user(Role.DEPARTMENT))
    page = client.get(reverse("portal:home")).content.decode()
    assert "待受理的申报" in page and baotou.number in page and tongliao.number not in page
    assert re.search(r'stat-value">1</span><span class="stat-label">待决定', page)

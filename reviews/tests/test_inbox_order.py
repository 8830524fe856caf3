"""The inbox's order kept where an index can serve it: Application.moved_at follows the transitions, and the
lists' main query reads no transition (no subquery per row)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import workflow
from applications.models import Application, Status, Transition
from reviews.inbox import key_of, parse_key, waiting_first
from tests import factories

INBOX = reverse("reviews:inbox")


def moved_at(app):
    return Application.objects.values_list("moved_at", flat=True).get(pk=app.pk)


@pytest.fixture
def baotou(media, call):
    return factories.submitted_application("150200")


def test_submission_sets_moved_at_to_its_transition_time(baotou):
    assert moved_at(baotou) == Transition.objects.get(application=baotou).at


def test_a_workflow_step_moves_it_on(baotou, bureau):
    later = timezone.now() + timedelta(minutes=5)
    workflow.take(baotou, workflow.ActionCode.BUREAU_RETURN, bureau, reason="请补充材料", now=later)
    assert moved_at(baotou) == later


def test_moved_at_is_the_latest_transition_however_the_transitions_change(baotou):
    first = Transition.objects.get(application=baotou)
    earlier = first.at - timedelta(days=2)
    extra = Transition.objects.create(
        application=baotou,
        from_status=Status.SUBMITTED,
        to_status=Status.SUBMITTED,
        action="submit",
        actor=first.actor,
        actor_role=Role.APPLICANT,
        at=earlier,
    )
    assert moved_at(baotou) == first.at  # the latest, not the last written
    Transition.objects.filter(pk=first.pk).update(at=first.at - timedelta(days=9))
    assert moved_at(baotou) == earlier
    Transition.objects.filter(pk=extra.pk).delete()
    assert moved_at(baotou) == first.at - timedelta(days=9)


def test_an_application_never_moved_has_no_moved_at_and_sorts_last(call, applicant):
    draft = factories.application(applicant, call)
    assert moved_at(draft) is None


def test_the_lists_main_query_reads_no_transition(baotou):
    department = factories.user(Role.DEPARTMENT)
    scope = Application.objects.visible_to(department)
    for ordered in (waiting_first(scope), waiting_first(scope.filter(status=Status.SUBMITTED))):
        sql = str(ordered.query)
        assert "applications_transition" not in sql
        assert "moved_at" in sql.split("ORDER BY")[1]


def test_the_next_and_previous_links_carry_the_key_and_show_the_same_rows_as_the_numbered_pages(client, call):
    department = factories.user(Role.DEPARTMENT)
    now = timezone.now()
    for i in range(45):
        app = factories.application(factories.user(Role.APPLICANT), call)
        Application.objects.filter(pk=app.pk).update(status=Status.APPROVED if i % 9 == 0 else Status.SUBMITTED)
        if i % 7:  # a few never moved: last of their kind
            Transition.objects.create(
                application=app,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                action="submit",
                actor=department,
                actor_role=Role.APPLICANT,
                at=now - timedelta(hours=i % 5),  # ties on the time: the id decides
            )
    client.force_login(department)

    def numbers(html):
        return re.findall(r'class="mono">(2024-\d+-\d+)<', html)

    by_number = [numbers(client.get(INBOX, {"page": n}).content.decode()) for n in (1, 2, 3)]
    assert sum(map(len, by_number)) == 45
    html = client.get(INBOX).content.decode()
    by_key = [numbers(html)]
    for _ in (2, 3):
        html = client.get(INBOX + next_link(html, "下一页")).content.decode()
        by_key.append(numbers(html))
    assert by_key == by_number
    for page in (1, 0):
        html = client.get(INBOX + next_link(html, "上一页")).content.decode()
        assert numbers(html) == by_number[page]


def next_link(html, label):
    href = re.search(rf'<a href="(\?[^"]*)">{label}</a>', html).group(1).replace("&amp;", "&")
    assert "after=" in href or "before=" in href
    return href


@pytest.mark.parametrize("key", ["", "x", "0~~5", "1~2026-01-01T00:00:00+00:00~5", "0~2026-01-01T00:00:00~5", "9~~1"])
def test_a_malformed_key_is_ignored_and_the_page_served_by_its_number(key):
    assert parse_key(key) is None


def test_a_key_read_back_is_the_rows_key(baotou):
    row = waiting_first(Application.objects.filter(pk=baotou.pk)).get()
    assert parse_key(key_of(row)) == (0, row.moved_at, row.pk)

"""The dashboards cost the same number of queries for 10 submitted applications as for 200.

200 applications are made in bulk (bench/summary.py), with a second version for some, the steps
that brought each to its state, and experts on those under review; then 190 of them are put back
to drafts, which never count. Each dashboard function is measured with 10 counted applications,
then again after the 190 are restored; the pages themselves in test_pages_cost_the_same_queries.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from applications.models import Application, Status, Transition, Version
from dashboards import store
from dashboards.figures import figure_table
from dashboards.overview import call_overview
from dashboards.ranking import standing
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.usefixtures("steady_query_counts")  # counted queries

SMALL, LARGE = 10, 200


def add_history(ids, now):
    """A second version for every fifth application, a transition for each, three experts on those under review."""
    department = factories.user(Role.DEPARTMENT)
    applications = list(Application.objects.filter(pk__in=ids).order_by("pk"))
    Version.objects.bulk_create(
        Version(
            application=app,
            number=2,
            data={**app.data, "output__2023": f"{200 + i}.50"},
            **factories.pinned(app.call),
            content_hash=f"{app.pk + 10**6:064x}",
            submitted_at=now,
            submitted_by=department,
        )
        for i, app in enumerate(applications)
        if i % 5 == 0
    )
    Transition.objects.bulk_create(
        Transition(
            application=app,
            from_status=Status.SUBMITTED,
            to_status=app.status,
            action="submit",
            actor=department,
            actor_role=Role.DEPARTMENT,
            at=now - timedelta(hours=i),
        )
        for i, app in enumerate(applications)
    )
    panel = [factories.user(Role.EXPERT, region_code="150100") for _ in range(3)]
    statuses = [ExpertReview.Status.SCORING, ExpertReview.Status.SUBMITTED, ExpertReview.Status.ASSIGNED]
    ExpertReview.objects.bulk_create(
        ExpertReview(application=app, version=app.versions.last(), expert=expert, status=status, assigned_by=department)
        for app in applications
        if app.status == Status.UNDER_REVIEW
        for expert, status in zip(panel, statuses, strict=True)
    )
    return department


def queries(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_figures_overview_and_standing_cost_the_same_queries_for_10_and_200_applications(db, generate):
    now = timezone.now()
    call, ids = generate(LARGE)
    department = add_history(ids, now)
    store.rebuild(Version.objects.filter(application_id__in=ids))  # the second versions were made in bulk
    schema = call.schema
    first = Application.objects.select_related("call").get(pk=ids[0])
    version = first.versions.order_by("-number").first()
    statuses = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))

    def measure(expected_rows):
        applications = Application.objects.visible_to(department)
        table = figure_table(applications, schema)
        assert len(table.rows) == expected_rows
        assert call_overview(applications, now=now).total == expected_rows
        assert next(s for s in standing(first, version) if s.figure.key == "output").count == expected_rows
        return {
            "figure_table": queries(lambda: (cache.clear(), figure_table_read(applications, schema))),
            "figure_table, cached": queries(lambda: figure_table_read(applications, schema)),
            "call_overview": queries(lambda: call_overview(applications, now=now)),
            "standing": queries(lambda: standing(first, version)),
        }

    Application.objects.filter(pk__in=ids[SMALL:]).update(status=Status.DRAFT)
    small = measure(SMALL)
    for pk in ids[SMALL:]:
        Application.objects.filter(pk=pk).update(status=statuses[pk])
    large = measure(LARGE)

    assert small == large
    # One query reads the table's fingerprint (and its length); one gives every cell's statistics, on
    # either database; two a page (rows, their figures), two the highest 30 of a column; then, cached,
    # only the fingerprint. Three grouped queries make the overview; three count a standing
    # (dashboards.ranking).
    assert large == {"figure_table": 6, "figure_table, cached": 1, "call_overview": 3, "standing": 3}


def figure_table_read(applications, schema):
    """What the dashboard page reads of a figure table: every statistic, a page, a bar chart's clusters."""
    table = figure_table(applications, schema)
    for name in table.cells:
        table.stats(name)
    list(table.page("output__2023", True, 1, 50))
    table.ordered("patents", descending=True, limit=30)


PAGES = (
    "/dashboards/",
    "/dashboards/?sort=output__2023&dir=desc&page=2",
    "/reviews/",
    "/reviews/?page=2",
    "/reviews/?q=集群",
    "/reviews/?status=recommended",
    "/",
)


def test_pages_cost_the_same_queries_for_3_and_60_applications(db, client, generate):
    """The 自治区's and a 盟市's inbox and dashboard: a draft never shows, so all but 3 or 4 are made drafts."""
    now = timezone.now()
    call, ids = generate(60)
    call.is_published = True  # the dashboard shows published calls
    call.save(update_fields=["is_published"])
    department = add_history(ids, now)
    store.rebuild(Version.objects.filter(application_id__in=ids))
    bureau = factories.user(Role.BUREAU, region_code="150200")
    statuses = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))

    def measure():
        counts = {}
        for user in (department, bureau):
            client.force_login(user)
            for url in PAGES:
                client.get(url)  # the session, the schema cache
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                assert response.status_code == 200, url
                counts[user.role, url] = len(captured)
        return counts

    shown = ids[:3] + [pk for pk in ids if Application.objects.get(pk=pk).lead_region.code == "150200"][:1]
    Application.objects.filter(pk__in=ids).exclude(pk__in=shown).update(status=Status.DRAFT)
    small = measure()
    for pk, status in statuses.items():
        Application.objects.filter(pk=pk).update(status=status)
    large = measure()
    assert small == large

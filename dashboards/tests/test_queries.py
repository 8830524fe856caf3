"""The dashboards cost the same number of queries for 10 submitted applications as for 200.

200 applications are made in bulk (bench/summary.py), with a second version for some, the steps
that brought each to its state, and experts on those under review; then 190 of them are put back
to drafts, which never count. Each dashboard function is measured with 10 counted applications,
then again after the 190 are restored.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application, Status, Transition, Version
from dashboards.figures import figure_table
from dashboards.overview import call_overview
from dashboards.ranking import standing
from reviews.models import ExpertReview
from tests import factories

SMALL, LARGE = 10, 200


@pytest.fixture
def generate(monkeypatch):
    # bench/summary.py points SHENBAO_VAR_DIR at a throwaway folder when imported: undone after the test.
    monkeypatch.delenv("SHENBAO_VAR_DIR", raising=False)
    from bench.summary import generate

    return generate


def add_history(ids, now):
    """A second version for every fifth application, a transition for each, three experts on those under review."""
    department = factories.user(Role.DEPARTMENT)
    applications = list(Application.objects.filter(pk__in=ids).order_by("pk"))
    Version.objects.bulk_create(
        Version(
            application=app,
            number=2,
            data={**app.data, "output__2023": f"{200 + i}.50"},
            schema_code="cluster_2024",
            schema_version="2024.1",
            schema_digest="0" * 64,
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
    schema = call.schema
    first = Application.objects.select_related("call").get(pk=ids[0])
    version = first.versions.order_by("-number").first()
    statuses = dict(Application.objects.filter(pk__in=ids).values_list("pk", "status"))

    def measure(expected_rows):
        applications = scoping.applications_for(department)
        table = figure_table(applications, schema)
        assert len(table.rows) == expected_rows
        assert call_overview(applications, now=now).total == expected_rows
        assert next(s for s in standing(first, version) if s.figure.key == "output").count == expected_rows
        return {
            "figure_table": queries(lambda: figure_table(applications, schema)),
            "call_overview": queries(lambda: call_overview(applications, now=now)),
            "standing": queries(lambda: standing(first, version)),
        }

    Application.objects.filter(pk__in=ids[SMALL:]).update(status=Status.DRAFT)
    small = measure(SMALL)
    for pk in ids[SMALL:]:
        Application.objects.filter(pk=pk).update(status=statuses[pk])
    large = measure(LARGE)

    assert small == large
    # One query reads every row of the figure table; three grouped queries make the overview.
    assert large == {"figure_table": 1, "call_overview": 3, "standing": 1}

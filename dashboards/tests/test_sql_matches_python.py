"""The figure table, its statistics, its orders and the standing, counted by the database from the indexed
figures, equal what the former code computed in Python from every latest version's JSON.

The reference below is that former code, kept here as the specification: rows from each counted
application's highest-numbered version, statistics by dashboards.statistics.stats_of, orders by a stable
Python sort, ranks by counting. The data set is varied on purpose: ties, 无 and empty answers,
negative growth rates, several versions, every state, drafts and withdrawn ones.
"""

import random
from decimal import Decimal

import pytest
from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from accounts.models import Role
from applications.models import Application, Status, Version
from dashboards import store
from dashboards.figures import figure_table, stat_figures
from dashboards.groups import FIXED_SORT_KEYS
from dashboards.ranking import standing
from dashboards.statistics import number, rounded, stats_of
from tests import factories

N = 60


# --- The former computation, in Python over the versions' JSON ---


def reference_rows(applications, schema, cells):
    newest = Version.objects.filter(application=OuterRef("application")).order_by("-number").values("number")[:1]
    latest = Version.objects.filter(
        application__in=applications.exclude(status=Status.DRAFT).values("pk"), number=Subquery(newest)
    )
    rows = []
    for version in latest.select_related("application__lead_region").order_by("application__number"):
        app = version.application
        rows.append(
            {
                "application_id": app.pk,
                "number": app.number,
                "title": version.data.get("cluster_name") or "",
                "lead_region_name": app.lead_region.name,
                "status": app.status,
                "values": {name: number(version.data.get(name)) for name in cells},
            }
        )
    return rows


def reference_sorted(rows, sort, descending):
    """groups.sorted_rows as it was: a stable sort of the 申报编号-ordered rows, rows without a value last."""
    keys = {
        "number": lambda row: row["number"],
        "title": lambda row: row["title"],
        "region": lambda row: row["lead_region_name"],
        "status": lambda row: [s.value for s in Status.official()].index(row["status"]),
    }
    if sort in keys:
        return sorted(rows, key=keys[sort], reverse=descending)
    present = [row for row in rows if row["values"].get(sort) is not None]
    missing = [row for row in rows if row["values"].get(sort) is None]
    return sorted(present, key=lambda row: row["values"][sort], reverse=descending) + missing


def reference_standing(application, version, cell):
    others = Application.objects.filter(call_id=application.call_id).exclude(pk=application.pk)
    newest = Version.objects.filter(application=OuterRef("application")).order_by("-number").values("number")[:1]
    latest = Version.objects.filter(
        application__in=others.exclude(status=Status.DRAFT).values("pk"), number=Subquery(newest)
    )
    values = [number(v) for v in latest.annotate(v=KeyTextTransform(cell, "data")).values_list("v", flat=True)]
    values = [v for v in values if v is not None]
    value = number(version.data.get(cell))
    if value is None:
        return None, None, len(values), None
    higher = sum(1 for v in values if v > value)
    percentile = int(rounded(Decimal(100 * (len(values) - higher)) / len(values), 0)) if values else None
    return value, higher + 1, len(values) + 1, percentile


# --- A varied data set ---


def varied_value(rng, cell):
    kind = cell.kind
    roll = rng.random()
    if roll < 0.08:
        return "无"
    if roll < 0.12:
        return ""
    if roll < 0.30:
        return {"count": "7", "growth": "-3.50"}.get(kind, "12.25")  # many ties
    if kind == "count":
        return str(rng.randint(0, 400))
    if kind == "growth":
        return f"{rng.uniform(-40, 60):.2f}"
    if kind == "ratio":
        return f"{rng.uniform(0, 100):.2f}"
    return f"{rng.uniform(0, 5000):.2f}"


@pytest.fixture
def varied(db, generate):
    rng = random.Random(20241130)  # noqa: S311 — a repeatable data set, not a secret
    call, ids = generate(N)
    schema = call.schema
    cells = [schema.cells[name] for f in stat_figures(schema) for name in (c.name for c in schema.fields[f.key].cells)]
    submitter = factories.user(Role.DEPARTMENT)
    apps = list(Application.objects.filter(pk__in=ids).order_by("pk"))
    extra = []
    for i, app in enumerate(apps):
        for number_ in range(2, 2 + i % 3):  # a third keep version 1, others get 2 or 3 versions
            data = {**app.data, **{cell.name: varied_value(rng, cell) for cell in cells}}
            data["cluster_name"] = rng.choice(["包头稀土集群", "鄂尔多斯煤化工集群", "Alpha集群", "阿拉善集群", ""])
            extra.append(
                Version(
                    application=app,
                    number=number_,
                    data=data,
                    **factories.pinned(call),
                    content_hash=f"{app.pk:032x}{number_:032x}",
                    submitted_at=app.submitted_at,
                    submitted_by=submitter,
                )
            )
    Version.objects.bulk_create(extra)
    store.rebuild(Version.objects.filter(application_id__in=ids))
    statuses = [*Status.official(), Status.DRAFT]
    for i, app in enumerate(apps):
        Application.objects.filter(pk=app.pk).update(status=statuses[i % len(statuses)])
    return call, ids


def test_the_table_statistics_and_orders_equal_the_former_python_computation(varied):
    call, _ = varied
    schema = call.schema
    applications = Application.objects.all()
    table = figure_table(applications, schema)
    expected = reference_rows(applications, schema, table.cells)
    assert len(expected) > 40 and table.count == len(expected)

    for name in table.cells:
        assert table.stats(name) == stats_of([row["values"][name] for row in expected], table.figure_of(name)), name

    def as_dicts(rows):
        return [
            {
                "application_id": r.application_id,
                "number": r.number,
                "title": r.title,
                "lead_region_name": r.lead_region_name,
                "status": r.status,
                "values": r.values,
            }
            for r in rows
        ]

    for sort in [*FIXED_SORT_KEYS, *table.cells]:
        for descending in (False, True):
            want = reference_sorted(expected, sort, descending)
            assert as_dicts(table.ordered(sort, descending)) == want, (sort, descending)
            assert as_dicts(table.ordered(sort, descending, limit=30)) == want[:30], (sort, descending)
            second = table.page(sort, descending, 2, 20)
            assert as_dicts(second.object_list) == want[20:40], (sort, descending)
            assert second.paginator.num_pages == -(-len(want) // 20)


def test_a_filtered_scope_equals_the_former_computation_too(varied):
    call, ids = varied
    applications = Application.objects.filter(pk__in=ids[::3], status__in=Status.official()[:4])
    table = figure_table(applications, call.schema)
    expected = reference_rows(applications, call.schema, table.cells)
    assert table.count == len(expected) > 0
    for name in table.cells:
        assert table.stats(name) == stats_of([row["values"][name] for row in expected], table.figure_of(name)), name


def test_every_standing_equals_the_former_count(varied):
    _, ids = varied
    for app in Application.objects.filter(pk__in=ids[:12]).select_related("call"):
        for version in app.versions.all():
            for row in standing(app, version):
                assert (row.value, row.rank, row.count, row.percentile) == reference_standing(app, version, row.cell)

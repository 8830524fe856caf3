"""Every cell's count, sum, extremes and middle, as the database finds them: by hand on a few applications, and
on PostgreSQL both ways of finding them (figure_queries.cell_totals) agree on many."""

from decimal import Decimal

import pytest
from django.db import connection

from applications.models import Application, Status
from dashboards.figure_queries import _grouped_totals, _numbered_totals, cell_totals, counted, values_of
from dashboards.statistics import median
from dashboards.store import stat_cells
from dashboards.tests.conftest import OUTPUT


def totals_of(call, applications=None):
    scope = counted(Application.objects.all() if applications is None else applications)
    return values_of(scope, stat_cells(call.schema))


def test_a_cells_totals_are_those_counted_by_hand(spread, call):
    found = cell_totals(totals_of(call))[OUTPUT]
    # 100.25, 200.50 and 301.00 (通辽 answered 无): total 601.75, the middle one 200.50
    assert (found.count, found.total, found.minimum, found.maximum) == (
        3,
        Decimal("601.75"),
        Decimal("100.25"),
        Decimal("301.00"),
    )
    assert median(found.middle) == Decimal("200.50")


def test_an_even_count_gives_the_middle_two(spread, call):
    Application.objects.filter(pk=spread["ordos"].pk).update(status=Status.DRAFT)  # withdrawn: 100.25, 200.50 left
    found = cell_totals(totals_of(call))[OUTPUT]
    assert (found.count, sorted(found.middle)) == (2, [Decimal("100.25"), Decimal("200.50")])


@pytest.mark.parametrize("n", [40, 41])
def test_both_ways_agree_on_postgresql(db, generate, n):
    if connection.vendor != "postgresql":
        pytest.skip("the grouped way needs PostgreSQL's ordered-set aggregates")
    call, _ = generate(n)  # bench.summary: every output different, every other figure the same (ties)
    values = totals_of(call)

    def compared(found):
        return {cell: (t.count, t.total, t.minimum, t.maximum, median(t.middle)) for cell, t in found.items()}

    assert compared(_numbered_totals(values)) == compared(_grouped_totals(values))
    assert compared(_grouped_totals(values))[OUTPUT][0] == n

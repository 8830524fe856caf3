"""The demo `seed_demo` loads tells one consistent story: each application is its own cluster throughout."""

import io
from itertools import combinations

import pytest
from django.core.management import call_command

from applications.records import report_of
from calls.models import Call
from calls.schema.model import PERFORMANCE
from documents import performance_table
from documents.pdf import document_pdf
from documents.record import record_of
from tests.pdf import pdf_text


@pytest.fixture
def demo_applications(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    call = Call.objects.get(code="cluster-2024")
    return list(call.applications.order_by("pk"))


def figures(application, keys):
    return tuple(application.data.get(key) for key in keys)


def test_each_demo_performance_table_names_its_own_cluster_and_no_other(demo_applications):
    names = [a.schema.title_of(a.data) for a in demo_applications]
    assert len(set(names)) == len(names) == 4
    for application, name in zip(demo_applications, names, strict=True):
        assert name in application.data["perf_project_name"]  # 项目名称, the table's first row
        record = record_of(application, application.latest_version.number if application.latest_version else None)
        text = "".join(pdf_text(document_pdf(performance_table.build(record))).split())
        assert name in text
        assert not [other for other in names if other != name and other in text], name


def test_no_two_demo_applications_share_their_figures(demo_applications):
    schema = demo_applications[0].schema
    output = [c.name for c in schema.cells.values() if c.field.key == "output"]
    complete = [a for a in demo_applications if "fund_total" in a.data]
    assert len(complete) == 3
    for first, second in combinations(demo_applications, 2):
        assert figures(first, output) != figures(second, output), (first.number, second.number)
    funds = [f.key for f in schema.sections_for(PERFORMANCE)[0].fields if f.type == "decimal"]
    for first, second in combinations(complete, 2):
        assert figures(first, funds) != figures(second, funds), (first.number, second.number)
        assert first.data["indicators"] != second.data["indicators"]
        assert first.data["goals"] != second.data["goals"]
        assert first.data["plan__intro"] != second.data["plan__intro"]


def test_every_complete_demo_application_is_consistent_by_the_calls_own_checks(demo_applications):
    for application in demo_applications:
        if "fund_total" not in application.data:
            continue  # the half-filled draft
        report = report_of(application)
        assert report.is_complete and report.warnings == [], (application.data["cluster_name"], report.warnings)

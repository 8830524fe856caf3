"""The indexed figures (dashboards.models) always hold each application's latest submitted version: written in
the submission's transaction, replaced on resubmission, kept (but not counted) while withdrawn, rebuilt alike."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from applications import demo, submission
from applications.models import Application, Status, Version
from dashboards import store
from dashboards.figures import figure_table
from dashboards.models import SCALE, FigureValue, SubmittedFigures
from dashboards.statistics import number
from reviews import initial_review
from tests import factories


def indexed(app):
    """What the index holds for `app`: (version number, name, type, {cell: raw})."""
    summary = SubmittedFigures.objects.get(pk=app.pk)
    values = dict(FigureValue.objects.filter(application=app).values_list("cell", "raw"))
    return summary.version_number, summary.title, summary.category, values


def expected(version):
    """The same read straight from the version's JSON."""
    cells = store.stat_cells(version.application.call.schema)
    values = {c: str(version.data[c]) for c in cells if number(version.data.get(c)) is not None}
    return version.number, version.data.get("cluster_name", ""), version.data.get("industry_type", ""), values


@pytest.fixture
def app(media, call):
    return factories.submitted_application("150200", data={"output__2023": "1500.00", "export_growth__2023": "无"})


def test_a_submission_indexes_its_versions_figures(app):
    assert indexed(app) == expected(app.latest_version)
    assert "export_growth__2023" not in indexed(app)[3]  # 无 is no value: no row
    value = FigureValue.objects.get(application=app, cell="output__2023")
    assert (value.raw, value.scaled) == ("1500.00", 1500 * 10**SCALE)


def test_a_resubmission_replaces_them_with_the_new_versions(app):
    factories.resubmit(app, {"output__2023": "1600.00", "export_growth__2023": "5.10", "cluster_name": "新名称"})
    assert indexed(app) == expected(app.versions.get(number=2))
    assert indexed(app)[:2] == (2, "新名称")
    assert FigureValue.objects.get(application=app, cell="export_growth__2023").raw == "5.10"  # was 无
    assert FigureValue.objects.get(application=app, cell="output__2023").raw == "1600.00"


def test_a_returned_application_being_edited_keeps_what_it_last_submitted(app, call):
    bureau = factories.user(Role.BUREAU, region_code="150200")
    initial_review.return_for_revision(app, bureau, "请核实数据。")
    app.refresh_from_db()
    app.data = {**app.data, "output__2023": "7777.00"}
    app.save()
    assert indexed(app) == expected(app.versions.get(number=1))


def test_a_withdrawn_application_keeps_its_figures_but_is_not_counted_until_submitted_again(app, call):
    submission.withdraw(app, app.created_by)
    assert indexed(app) == expected(app.latest_version)
    assert figure_table(type(app).objects.all(), call.schema).count == 0
    app.refresh_from_db()
    app.data = {**app.data, "output__2023": "1700.00"}
    app.save()
    submission.submit(app, app.created_by)
    assert indexed(app) == expected(app.versions.get(number=2))
    table = figure_table(type(app).objects.all(), call.schema)
    assert table.count == 1 and table.stats("output__2023").total == 1700


def test_figures_of_a_submission_that_fails_are_rolled_back_with_it(media, call):
    applicant = factories.user(Role.APPLICANT, region_code="150500")
    draft = factories.application(applicant, data={**factories.application_defaults(), **demo.COMPLETE})
    factories.attach_required(draft, applicant)
    with pytest.raises(RuntimeError), transaction.atomic():
        submission.submit(draft, applicant)
        assert SubmittedFigures.objects.filter(pk=draft.pk).exists()  # written with the version …
        raise RuntimeError("断电")
    assert not Version.objects.filter(application=draft).exists()
    assert not SubmittedFigures.objects.filter(pk=draft.pk).exists()  # … and gone with it
    assert not FigureValue.objects.filter(application=draft).exists()


def test_an_older_version_never_replaces_a_newer_ones_figures(app):
    factories.resubmit(app, {"output__2023": "1600.00"})
    store.record(app.versions.get(number=1))
    assert indexed(app) == expected(app.versions.get(number=2))


def test_a_rebuild_writes_what_the_submissions_wrote(app, media):
    other = factories.submitted_application("150600", data={"output__2023": "820.40"})
    factories.resubmit(other, {"output__2023": "900.00"})
    before = {a.pk: indexed(a) for a in (app, other)}
    FigureValue.objects.all().delete()
    SubmittedFigures.objects.all().delete()
    assert store.rebuild(Version.objects.all()) == 2
    assert {a.pk: indexed(a) for a in (app, other)} == before


def test_cached_statistics_and_pages_follow_resubmissions_and_changes_of_state(app, call, media):
    other = factories.submitted_application("150600", data={"output__2023": "500.00"})

    def table():
        return figure_table(Application.objects.all(), call.schema)

    assert table().stats("output__2023").total == 2000  # computed, then cached
    assert table().stats("output__2023").total == 2000  # from the cache
    factories.resubmit(app, {"output__2023": "1600.00"})
    assert table().stats("output__2023").total == 2100
    assert [row.status for row in table().page("number", False, 1, 50)] == ["submitted", "submitted"]
    Application.objects.filter(pk=other.pk).update(status=Status.RECOMMENDED)  # a state, no new version
    assert [row.status for row in table().page("number", False, 1, 50)] == ["submitted", "recommended"]
    with CaptureQueriesContext(connection) as queries:  # a review step leaves the figures as they were
        assert table().stats("output__2023").total == 2100
    assert len(queries) == 1  # the fingerprint: the statistics come from the cache
    Application.objects.filter(pk=other.pk).update(status=Status.DRAFT)
    assert table().stats("output__2023").total == 1600
    assert table().count == 1

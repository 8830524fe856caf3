"""Three calls, no Python for any of them: the 2024 cluster call, the 2025 call the 工信厅 made by copying it and
uploading an edited 字段表, and an enterprise project call (示例) written only as a schema file.

Each is filled by the schema-driven factory, submitted, printed (PDF, DOCX, XLSX), reviewed by its 盟市 and
an expert, counted on the dashboards and listed in the 汇总表 and the 推荐清单 — through the same code.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications import submission
from applications.models import Application, Status
from applications.records import start_application
from authoring.demo import CLUSTER_2025, EXAMPLE, load_demo_calls
from calls.models import Call
from dashboards.figures import figure_table
from documents.recommendation import recommendation_rows
from documents.record import record_of
from documents.rendering import render
from documents.summary import summary_rows
from reviews import experts, initial_review
from reviews.models import ExpertReview
from tests import factories
from tests.application_data import complete_data
from tests.pdf import pdf_text

CODES = ["cluster-2024", CLUSTER_2025, EXAMPLE]


@pytest.fixture
def calls(call, department):
    """The three published calls, open now: 2024 as the data migration made it, the others as seed_demo does."""
    load_demo_calls(department, call)
    return {c.code: c for c in Call.objects.all()}


def submitted_to(call, region_code="150200", title="测试名称"):
    applicant = factories.user(Role.APPLICANT, organisation_obj=factories.organisation(region_code))
    app = start_application(applicant, call)
    schema = app.schema
    app.data = {**complete_data(schema), schema.role("title").key: title}
    app.save()
    factories.attach_required(app, applicant)
    submission.submit(app, applicant)
    app.refresh_from_db()
    return app


def reviewed(app, department):
    """Site-visited and recommended by its 盟市, accepted with one expert who scored it in full."""
    bureau = factories.user(Role.BUREAU, region_code=app.lead_region.code)
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟", "属实", [factories.upload("现场.png")])
    initial_review.recommend(app, bureau, "同意推荐", factories.upload())
    expert = factories.user(Role.EXPERT, region_code="150100")
    (review,) = experts.assign(app, department, [expert])
    experts.declare(review, expert, has_conflict=False)
    rubric = review.version.schema.rubric
    sheet = {f"score_{d.key}": str(d.weight - 1) for d in rubric} | {"opinion": "基础扎实，规划可行。"}
    _, result = experts.submit_sheet(ExpertReview.objects.get(pk=review.pk), expert, sheet)
    assert result.errors == {}
    app.refresh_from_db()
    return app


@pytest.mark.parametrize("code", CODES)
def test_each_call_is_filled_submitted_printed_reviewed_counted_and_listed(calls, code, department, media):
    call = calls[code]
    app = submitted_to(call, title="乌兰察布示例名称")
    version = app.latest_version
    schema = version.schema
    assert version.schema_revision == call.current_revision
    assert app.number.startswith(f"{call.number_prefix}{call.year}-")

    record = record_of(app, version.number)
    for document in schema.documents:
        text = pdf_text(render(record, document, "pdf").content).replace("\n", "")
        assert "验证码" in text
        assert render(record, document, "docx").content.startswith(b"PK")
    assert "乌兰察布示例名称" in pdf_text(render(record, "report", "pdf").content).replace("\n", "")
    assert render(record, fmt="xlsx").content.startswith(b"PK")

    app = reviewed(app, department)
    assert app.status == Status.AWAITING_DECISION

    applications = Application.objects.visible_to(department).filter(call=call)
    table = figure_table(applications, call.schema)
    assert table.count == 1 and table.ordered("number", False)[0].title == "乌兰察布示例名称"
    [row] = summary_rows(applications, call.schema)
    assert row[2] == "乌兰察布示例名称"
    bureau = factories.user(Role.BUREAU, region_code="150200")
    [listed] = recommendation_rows(scoping.recommended_for(bureau, call), call.schema)
    assert listed[2] == "乌兰察布示例名称"


def test_the_calls_differ_only_by_their_data(calls):
    cluster, copied, example = (calls[code].schema for code in CODES)
    assert copied.years == (2022, 2023, 2024) and cluster.years == (2021, 2022, 2023)
    assert copied.fields["industry_chain"].max_chars == 300 and cluster.fields["industry_chain"].max_chars == 200
    assert "diagnosis_ratio" in copied.fields and "diagnosis_ratio" not in cluster.fields
    assert [d.weight for d in copied.rubric] != [d.weight for d in cluster.rubric]
    assert example.documents == ("report",) and cluster.documents == ("report", "performance")
    assert (cluster.subject, example.subject) == ("集群", "项目")


def test_an_organisation_applies_to_two_open_calls_at_once(calls, client):
    applicant = factories.user(Role.APPLICANT)
    first = start_application(applicant, calls["cluster-2024"])
    second = start_application(applicant, calls[CLUSTER_2025])
    assert first.pk != second.pk and first.number != second.number
    assert first.number.startswith("2024-") and second.number.startswith("2025-")
    client.force_login(applicant)
    home = client.get(reverse("portal:home")).content.decode()
    assert first.number in home and second.number in home


def test_inboxes_and_dashboards_filter_by_call(calls, department, client, media):
    one = submitted_to(calls["cluster-2024"], title="二〇二四集群")
    two = submitted_to(calls[CLUSTER_2025], title="二〇二五集群")
    client.force_login(factories.user(Role.BUREAU, region_code="150200"))
    inbox = client.get(reverse("reviews:inbox"), {"call": calls[CLUSTER_2025].pk}).content.decode()
    assert two.number in inbox and one.number not in inbox
    client.force_login(department)
    dashboard = client.get(reverse("dashboards:index"), {"call": calls[CLUSTER_2025].pk}).content.decode()
    assert "二〇二五集群" in dashboard and "二〇二四集群" not in dashboard

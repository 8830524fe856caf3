"""Scoping across the review workflow: a 盟市 never sees another 盟市's applications, an expert never sees
one not assigned to it — through lists, detail pages, documents, attachments and exports alike."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from documents.tests.official import stored
from reviews import experts, initial_review
from reviews.models import ExpertReview, Recommendation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def baotou(media, call):
    """A 包头 application under expert review: its site visit, sealed 推荐文件 and one assigned expert."""
    app = factories.submitted_application("150200")
    bureau = factories.user(Role.BUREAU, region_code="150200")
    photo = factories.upload("现场.png")
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟", "属实", [photo])
    initial_review.recommend(app, bureau, "同意推荐", factories.upload())
    department = factories.user(Role.DEPARTMENT)
    assigned = factories.user(Role.EXPERT, region_code="150100")
    (review,) = experts.assign(app, department, [assigned])
    experts.declare(review, assigned, has_conflict=False)
    app.refresh_from_db()
    return app, review


def _urls(app, review):
    """Every page or file of the application a person outside its scope might try."""
    attachment_id = app.latest_version.attachments[0]["id"]
    photo = app.site_visits.get().photos.get()
    sealed = Recommendation.objects.get(application=app)
    return {
        "detail": reverse("reviews:detail", args=[app.pk]),
        "changes": reverse("reviews:changes", args=[app.pk]),
        "overview": reverse("applications:overview", args=[app.pk]),
        "section": reverse("applications:section", args=[app.pk, "industry"]),
        "report": reverse("documents:download", args=[app.pk, "report", "pdf"]) + "?version=1",
        "performance": reverse("documents:download", args=[app.pk, "performance", "docx"]),
        "workbook": reverse("documents:workbook", args=[app.pk]) + "?version=1",
        "attachment": reverse("applications:download", args=[attachment_id]),
        "photo": reverse("reviews:file", args=["photo", photo.pk]),
        "sealed": reverse("reviews:file", args=["recommendation", sealed.pk]),
        "scores": reverse("reviews:scores", args=[app.pk]),
        "scoresheet": reverse("reviews:scoresheet", args=[app.pk, "xlsx"]),
        "expert_review": reverse("reviews:expert_review", args=[review.pk]),
    }


def _refused(client, url):
    response = client.get(url)
    return response.status_code in (403, 404)


def test_another_bureau_reaches_nothing_of_the_application(client, baotou):
    app, review = baotou
    client.force_login(factories.user(Role.BUREAU, region_code="150400"))
    reached = [name for name, url in _urls(app, review).items() if not _refused(client, url)]
    assert reached == []


def test_an_unassigned_expert_reaches_nothing_of_the_application(client, baotou):
    app, review = baotou
    client.force_login(factories.user(Role.EXPERT, region_code="150100"))
    reached = [name for name, url in _urls(app, review).items() if not _refused(client, url)]
    assert reached == []


def test_the_assigned_expert_reaches_the_content_but_not_the_officials_records(client, baotou):
    app, review = baotou
    client.force_login(review.expert)
    urls = _urls(app, review)
    stored(app.latest_version)  # the worker made its official PDF (documents/official.py)
    for name in ("report", "attachment", "expert_review"):
        assert client.get(urls[name]).status_code == 200, name
    for name in ("photo", "sealed", "scores", "scoresheet", "detail"):
        assert _refused(client, urls[name]), name


def test_an_expert_who_has_not_declared_reaches_no_content(client, baotou):
    app, _ = baotou
    expert = factories.user(Role.EXPERT, region_code="150300")
    (pending,) = experts.assign(app, factories.user(Role.DEPARTMENT), [expert])
    assert pending.status == ExpertReview.Status.ASSIGNED
    client.force_login(expert)
    urls = _urls(app, pending)
    for name in ("report", "attachment", "overview", "workbook"):
        assert _refused(client, urls[name]), name


def test_lists_and_exports_of_another_bureau_leave_the_application_out(client, baotou):
    app, _ = baotou
    client.force_login(factories.user(Role.BUREAU, region_code="150400"))
    assert app.number not in client.get(reverse("reviews:inbox")).content.decode()
    assert app.number not in client.get(reverse("documents:summary")).content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("documents:summary_xlsx")).getvalue())).active
    assert app.number not in {str(c.value) for row in sheet.iter_rows() for c in row}
    listing = client.get(reverse("documents:recommendation_xlsx")).getvalue()
    rows = openpyxl.load_workbook(io.BytesIO(listing)).active
    assert app.number not in {str(c.value) for row in rows.iter_rows() for c in row}


def test_the_lead_bureau_lists_and_exports_its_application(client, baotou):
    app, _ = baotou
    client.force_login(factories.user(Role.BUREAU, region_code="150200"))
    assert app.number in client.get(reverse("reviews:inbox")).content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("documents:summary_xlsx")).getvalue())).active
    assert app.number in {str(c.value) for row in sheet.iter_rows() for c in row}


def test_an_expert_task_list_shows_only_its_own_assignments(client, baotou):
    app, _ = baotou
    other = factories.user(Role.EXPERT, region_code="150100")
    client.force_login(other)
    assert app.number not in client.get(reverse("reviews:expert_tasks")).content.decode()
    assert client.get(reverse("reviews:inbox")).status_code == 403
    assert client.get(reverse("documents:summary")).status_code == 403


def test_a_participating_bureau_reads_but_may_not_act(client, media, call):
    app = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    client.force_login(tongliao)
    assert client.get(reverse("reviews:detail", args=[app.pk])).status_code == 200
    response = client.post(reverse("reviews:return", args=[app.pk]), {"reason": "越权退回"})
    assert response.status_code in (400, 403)
    app.refresh_from_db()
    assert app.status == "submitted"


def test_a_participating_bureau_signs_but_never_recommends_and_never_reads_a_withdrawn_draft(client, media, call):
    from applications import submission
    from applications.workflow import WorkflowRefused
    from reviews import countersign

    app = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    client.force_login(tongliao)
    recommend = client.post(reverse("reviews:recommend", args=[app.pk]), {"opinion": "越权推荐"})
    assert recommend.status_code == 403
    submission.withdraw(app, app.created_by)  # back to a draft: the applicant's alone
    app.refresh_from_db()
    assert client.get(reverse("reviews:detail", args=[app.pk])).status_code == 404
    signed = client.post(reverse("reviews:countersign", args=[app.pk]), {"verdict": "agree", "opinion": "同意"})
    assert signed.status_code == 404
    assert app.number not in client.get(reverse("reviews:inbox") + "?tab=joined").content.decode()
    with pytest.raises(WorkflowRefused, match="不能会签"):
        countersign.record_opinion(app, tongliao, True, "同意")


def test_a_bureau_summary_covers_the_applications_it_leads_not_those_it_only_joins(client, media, call):
    joined = factories.submitted_application("150200", data={"participating_regions": ["150500"]})
    led = factories.submitted_application("150500")
    client.force_login(factories.user(Role.BUREAU, region_code="150500"))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("documents:summary_xlsx")).getvalue())).active
    numbers = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert led.number in numbers and joined.number not in numbers

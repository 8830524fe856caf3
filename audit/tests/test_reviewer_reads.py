"""Every view or download of an application by someone other than its own 申报单位 is in the audit
log: the review page, the changes page, the expert's scoring page, the 评分 page and sheet, and the
review files (实地核实 photos, sealed 推荐文件)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from tests import factories
from tests.test_access import _side

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media, call):
    department = factories.user(Role.DEPARTMENT)
    bureau = factories.user(Role.BUREAU, region_code="150200")
    expert = factories.user(Role.EXPERT, region_code="150100")
    side = _side("150200", bureau, department, expert, "包头稀土新材料产业集群")
    return side, {"bureau": bureau, "department": department, "expert": expert}


def _read(client, user, url):
    client.force_login(user)
    before = set(AuditEntry.objects.values_list("seq", flat=True))
    response = client.get(url)
    assert response.status_code == 200, url
    new = AuditEntry.objects.exclude(seq__in=before).filter(action__in=("view", "download"))
    assert new.count() == 1, url
    return new.get()


@pytest.mark.parametrize("role", ["bureau", "department"])
def test_an_official_opening_the_review_page_is_recorded(client, world, role):
    side, users = world
    entry = _read(client, users[role], reverse("reviews:detail", args=[side.app.pk]))
    assert (entry.action, entry.user, entry.object_type, entry.object_id) == (
        "view",
        users[role],
        "application",
        str(side.app.pk),
    )
    assert entry.detail["page"] == "review" and entry.detail["number"] == side.app.number
    assert entry.ip == "127.0.0.1"


def test_the_changes_page_is_recorded(client, world):
    side, users = world
    entry = _read(client, users["department"], reverse("reviews:changes", args=[side.app.pk]))
    assert (entry.action, entry.detail["page"]) == ("view", "changes")


def test_the_expert_opening_the_content_to_score_is_recorded(client, world):
    side, users = world
    entry = _read(client, users["expert"], reverse("reviews:expert_review", args=[side.review]))
    assert (entry.action, entry.user, entry.detail["page"]) == ("view", users["expert"], "expert_review")
    assert entry.detail["version"] == side.version.number


def test_the_scores_page_and_the_score_sheet_are_recorded(client, world):
    side, users = world
    entry = _read(client, users["department"], reverse("reviews:scores", args=[side.app.pk]))
    assert (entry.action, entry.detail["page"]) == ("view", "scores")
    entry = _read(client, users["department"], reverse("reviews:scoresheet", args=[side.app.pk, "xlsx"]))
    assert (entry.action, entry.detail["document"], entry.detail["format"]) == ("download", "scoresheet", "xlsx")


@pytest.mark.parametrize(
    ("kind", "attribute", "model"),
    [("photo", "photo", "sitevisitphoto"), ("recommendation", "sealed", "recommendation")],
)
def test_review_files_are_recorded_as_downloads(client, world, kind, attribute, model):
    side, users = world
    file_id = getattr(side, attribute)
    entry = _read(client, users["department"], reverse("reviews:file", args=[kind, file_id]))
    assert (entry.action, entry.object_type, entry.object_id) == ("download", model, str(file_id))
    assert entry.detail["application"] == side.app.pk and entry.detail["kind"] == kind


def test_the_applicant_following_its_own_application_is_not_recorded(client, world):
    side, _ = world
    client.force_login(side.applicant)
    client.get(reverse("applications:overview", args=[side.app.pk]))
    assert not AuditEntry.objects.filter(action="view").exists()


def test_the_receipt_is_recorded_for_a_reader_who_is_not_the_applicant(client, world):
    side, users = world
    url = reverse("applications:receipt", args=[side.app.pk, side.version.number])
    entry = _read(client, users["department"], url)
    assert (entry.action, entry.detail["page"], entry.detail["version"]) == ("view", "receipt", side.version.number)
    client.force_login(side.applicant)
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="view", user=side.applicant).count() == 0


def test_the_accept_and_decide_pages_are_recorded(client, world):
    from applications.models import Application, Status

    side, users = world
    entry = _read(client, users["department"], reverse("reviews:accept", args=[side.app.pk]))
    assert (entry.action, entry.detail["page"]) == ("view", "accept")
    Application.objects.filter(pk=side.app.pk).update(status=Status.AWAITING_DECISION)
    entry = _read(client, users["department"], reverse("reviews:decide", args=[side.app.pk]))
    assert (entry.action, entry.detail["page"], entry.object_id) == ("view", "decide", str(side.app.pk))

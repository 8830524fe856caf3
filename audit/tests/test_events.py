"""The events other apps produce arrive in the chain: logins, workflow moves, downloads and exports."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import workflow
from audit.chain import verify
from audit.log import record
from audit.models import AuditEntry
from documents.tests.official import stored
from tests import factories
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def _last(action):
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


@pytest.mark.django_db
def test_a_successful_login_is_recorded_with_address_and_browser(client, applicant):
    client.post(LOGIN, {"username": applicant.username, "password": PASSWORD}, HTTP_USER_AGENT="Mozilla/5.0 测试")
    entry = _last("login")
    assert (entry.user, entry.username, entry.result) == (applicant, applicant.username, "成功")
    assert entry.role == "applicant"
    assert entry.ip == "127.0.0.1"
    assert entry.user_agent == "Mozilla/5.0 测试"


@pytest.mark.django_db
def test_a_failed_login_is_recorded_without_the_password(client, applicant):
    client.post(LOGIN, {"username": applicant.username, "password": "wrong-secret"})
    entry = _last("login_failed")
    assert (entry.user, entry.username, entry.result) == (None, applicant.username, "失败")
    assert "wrong-secret" not in str(entry.detail)


@pytest.mark.django_db
def test_a_logout_is_recorded(client, applicant):
    client.force_login(applicant)
    client.post(reverse("accounts:logout"))
    entry = _last("logout")
    assert (entry.user, entry.result) == (applicant, "成功")


@pytest.mark.django_db
def test_a_lockout_is_recorded_as_refused(client, applicant):
    for _ in range(5):
        client.post(LOGIN, {"username": applicant.username, "password": "wrong"})
    entry = _last("lockout")
    assert (entry.username, entry.result) == (applicant.username, "拒绝")
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5
    assert verify().ok


@pytest.mark.django_db
def test_the_user_agent_is_cut_to_300_characters(rf, applicant):
    request = rf.get("/", HTTP_USER_AGENT="x" * 1000)
    request.user = applicant
    assert len(record("export", request=request).user_agent) == 300


@pytest.mark.django_db
def test_every_workflow_transition_is_recorded_with_the_application(media, call, bureau):
    app = factories.submitted_application("150200")
    submitted = _last("transition")
    assert (submitted.object_type, submitted.object_id) == ("application", str(app.pk))
    assert submitted.detail["code"] == "submit" and submitted.role == "applicant"
    workflow.take(app, "bureau_return", bureau, reason="请补充材料")
    returned = _last("transition")
    assert returned.user == bureau and returned.role == "bureau"
    assert returned.object_repr == f"申报书 {app.number}"  # the 申报编号, never the cluster's name
    assert returned.detail == {
        "transition": app.transitions.order_by("-pk").first().pk,
        "code": "bureau_return",
        "from": "submitted",
        "to": "returned",
        "reason_chars": 5,  # the reason stays on the Transition
        "version": 1,
    }
    assert verify().ok


@pytest.mark.django_db
def test_a_refused_move_records_nothing(media, call, make_user):
    app = factories.submitted_application("150200")
    before = AuditEntry.objects.count()
    other_bureau = make_user(Role.BUREAU, region_code="150100")
    with pytest.raises(workflow.WorkflowRefused):
        workflow.take(app, "bureau_return", other_bureau, reason="x")
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_bureau_downloading_an_applications_pdf_is_recorded(client, media, call, bureau):
    app = factories.submitted_application("150200")
    stored(app.latest_version)  # the worker made its official PDF (documents/official.py)
    client.force_login(bureau)
    response = client.get(reverse("documents:download", args=[app.pk, "report", "pdf"]))
    assert response.status_code == 200
    entry = _last("download")
    assert (entry.user, entry.object_type, entry.object_id) == (bureau, "application", str(app.pk))
    assert entry.detail["document"] == "report" and entry.detail["format"] == "pdf"


@pytest.mark.django_db
def test_the_applicant_downloading_its_own_draft_is_not_recorded(client, draft, applicant):
    client.force_login(applicant)
    response = client.get(reverse("documents:download", args=[draft.pk, "report", "docx"]))
    assert response.status_code == 200
    assert _last("download") is None


@pytest.mark.django_db
def test_a_bureau_downloading_the_workbook_and_an_attachment_is_recorded(client, media, call, bureau):
    app = factories.submitted_application("150200")
    client.force_login(bureau)
    assert client.get(reverse("documents:workbook", args=[app.pk])).status_code == 200
    assert _last("download").detail["document"] == "workbook"
    attachment = app.attachments.first()
    response = client.get(reverse("applications:download", args=[attachment.pk]))
    assert response.status_code == 200
    entry = _last("download")
    assert (entry.object_type, entry.object_id) == ("attachment", str(attachment.pk))
    assert entry.detail["application"] == app.pk


@pytest.mark.django_db
def test_a_summary_export_is_recorded(client, media, call, bureau):
    factories.submitted_application("150200")
    client.force_login(bureau)
    response = client.get(reverse("documents:summary_xlsx"))
    assert response.status_code == 200
    entry = _last("export")
    assert (entry.user, entry.object_type, entry.detail["format"]) == (bureau, "summary", "xlsx")

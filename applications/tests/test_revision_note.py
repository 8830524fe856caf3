"""修改说明: resubmitting after 退回修改 needs a note saying what changed, ≤ 1000 字; a first submission none."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import submission
from applications.models import Status, Transition
from audit.models import AuditEntry
from reviews import initial_review
from tests import factories

pytestmark = pytest.mark.usefixtures("db", "media")

REASON = "请核实2023年集群总产值。"
NOTE = "已核实2023年集群总产值并更正为1500万元。"


@pytest.fixture
def returned(call):
    app = factories.submitted_application()
    initial_review.return_for_revision(app, factories.user(Role.BUREAU, region_code="150200"), REASON)
    app.refresh_from_db()
    return app


def submit(client, app, **data):
    client.force_login(app.created_by)
    return client.post(reverse("applications:submit", args=[app.pk]), data)


def test_the_check_page_asks_for_a_note_only_when_answering_a_return(client, returned):
    client.force_login(returned.created_by)
    page = client.get(reverse("applications:check", args=[returned.pk])).content.decode()
    assert "修改说明" in page and REASON in page and "确认重新提交" in page
    draft = factories.application(data={})
    client.force_login(draft.created_by)
    assert "修改说明" not in client.get(reverse("applications:check", args=[draft.pk])).content.decode()


def test_a_resubmission_without_a_note_is_refused_next_to_the_field(client, returned):
    response = submit(client, returned, revision_note="   ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "重新提交须填写修改说明" in page and 'class="error-summary"' in page
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED and returned.versions.count() == 1


def test_the_service_refuses_a_resubmission_without_a_note_too(returned):
    with pytest.raises(submission.SubmissionRefused, match="重新提交须填写修改说明"):
        submission.submit(returned, returned.created_by)
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED


def test_a_note_of_1000_characters_is_taken_and_recorded_with_the_resubmission(client, returned):
    note = "改" * 1000
    assert submit(client, returned, revision_note=note).status_code == 302
    returned.refresh_from_db()
    assert returned.status == Status.SUBMITTED
    transition = Transition.objects.filter(application=returned, action="resubmit").get()
    assert transition.reason == note and transition.version.number == 2


def test_a_note_of_1001_characters_is_refused_and_kept(client, returned):
    note = "改" * 1001
    response = submit(client, returned, revision_note=note)
    assert response.status_code == 400
    page = response.content.decode()
    assert "修改说明不超过 1000 字，现为 1001 字，请删减。" in page and note in page
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED


def test_the_note_is_audited_by_its_length_never_its_text(client, returned):
    submit(client, returned, revision_note=NOTE)
    entry = AuditEntry.objects.filter(action="transition").order_by("-seq").first()
    assert entry.detail["code"] == "resubmit" and entry.detail["reason_chars"] == len(NOTE)
    assert not any(NOTE in str(e.detail) for e in AuditEntry.objects.all())


def test_a_first_submission_takes_no_note(ready, applicant):
    submission.submit(ready, applicant, revision_note="不应保存")
    assert ready.transitions.get().reason == ""


def test_a_refused_resubmission_keeps_the_note_typed(client, returned, settings):
    # The 盟市's deadline passed: the refusal is shown with the note still in its field.
    call = returned.call
    from datetime import timedelta

    from django.utils import timezone

    call.recommend_deadline = timezone.now() - timedelta(minutes=1)
    call.applicant_closes_at = timezone.now() - timedelta(hours=1)
    call.save()
    response = submit(client, returned, revision_note=NOTE)
    assert response.status_code == 400
    page = response.content.decode()
    assert NOTE in page and "已经截止" in page

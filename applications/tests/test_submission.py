"""Submitting freezes a numbered, hashed version; blocking problems, a closed window or a missing 承诺书 stop it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import submission
from applications.models import Status, Version
from tests import factories
from tests.application_data import complete_data


def test_a_complete_application_submits_as_version_one_awaiting_its_city(ready, applicant):
    version = submission.submit(ready, applicant)
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED
    assert ready.get_status_display() == "待盟市初审"
    assert ready.submitted_at == version.submitted_at
    assert version.number == 1
    assert version.schema_code == "cluster_2024" and len(version.schema_digest) == 64
    assert len(version.content_hash) == 64
    assert {a["slot"] for a in version.attachments} >= {"commitment_scan", "recognition_document"}
    transition = ready.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor, transition.actor_role) == (
        "draft",
        "submitted",
        applicant,
        "applicant",
    )


def test_the_hash_covers_data_schema_and_attachments(ready, applicant):
    version = submission.submit(ready, applicant)
    payload = {
        "application": ready.number,
        "version": 1,
        "submitted_at": version.submitted_at.isoformat(),
        "organisation": {"name": ready.organisation.name, "credit_code": ready.organisation.credit_code},
        "lead_region": ready.lead_region.code,
        "schema": {"code": version.schema_code, "version": version.schema_version, "digest": version.schema_digest},
        "data": version.data,
        "attachments": version.attachments,
    }
    assert submission.content_hash(payload) == version.content_hash
    payload["data"] = dict(payload["data"], area="1.00")
    assert submission.content_hash(payload) != version.content_hash


def test_a_submitted_version_cannot_be_changed_or_deleted(ready, applicant):
    version = submission.submit(ready, applicant)
    version.data["area"] = "0.01"
    with pytest.raises(ValueError, match="不可修改"):
        version.save()
    with pytest.raises(ValueError, match="不可删除"):
        version.delete()


def test_applicant_cannot_submit_without_the_sealed_commitment_scan(draft, applicant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft.data = complete_data(draft.call.schema)
    draft.save()
    factories.attach_required(draft, applicant, skip={"commitment_scan"})
    with pytest.raises(submission.SubmissionRefused, match=r"承诺书.*扫描件"):
        submission.submit(draft, applicant)


def test_applicant_cannot_submit_after_deadline(ready, applicant):
    call = ready.call
    call.applicant_closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    with pytest.raises(submission.SubmissionRefused, match="已经截止，不能提交"):
        submission.submit(ready, applicant)
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and not Version.objects.exists()


def test_a_blocking_eligibility_answer_prevents_submission_with_its_reason(ready, applicant):
    ready.data["no_dishonesty"] = "否"
    ready.save()
    with pytest.raises(submission.SubmissionRefused, match="存在未修复失信记录的，不符合申报条件"):
        submission.submit(ready, applicant)


def test_carbon_monitoring_evidence_is_required_only_when_the_answer_is_yes(draft, applicant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft.data = complete_data(draft.call.schema)
    draft.data.update(carbon_monitoring="是", overseas_branches="0")
    draft.save()
    factories.attach_required(draft, applicant, skip={"carbon_monitoring_evidence"})
    check = submission.pre_submit_check(draft)
    assert [p.message for p in check.problems] == ["请上传集群碳排放监测机制佐证材料。"]
    draft.data["carbon_monitoring"] = "否"
    draft.save()
    assert submission.pre_submit_check(draft).can_submit


def test_overseas_evidence_is_required_when_branches_are_declared(draft, applicant, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft.data = complete_data(draft.call.schema)
    draft.data["overseas_branches"] = "0"
    draft.save()
    factories.attach_required(draft, applicant)
    draft.data["overseas_branches"] = "2"
    draft.save()
    assert "请上传境外分支机构佐证材料。" in [p.message for p in submission.pre_submit_check(draft).problems]


def test_withdrawing_returns_to_draft_and_keeps_everything(ready, applicant):
    submission.submit(ready, applicant)
    before = dict(ready.data)
    submission.withdraw(ready, applicant)
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT
    assert ready.data == before
    assert ready.attachments.active().count() > 0
    assert [t.action for t in ready.transitions.all()] == ["submit", "withdraw"]


def test_withdrawing_after_the_deadline_is_refused(ready, applicant):
    submission.submit(ready, applicant)
    ready.call.applicant_closes_at = timezone.now() - timedelta(minutes=1)
    ready.call.save()
    with pytest.raises(submission.SubmissionRefused, match="截止，不能撤回"):
        submission.withdraw(ready, applicant)


def test_resubmitting_after_withdrawal_freezes_version_two(ready, applicant):
    submission.submit(ready, applicant)
    submission.withdraw(ready, applicant)
    version = submission.submit(ready, applicant)
    assert version.number == 2


def test_the_receipt_shows_time_version_and_hash(client, ready, applicant):
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[ready.pk]))
    version = ready.versions.get()
    assert response.url == reverse("applications:receipt", args=[ready.pk, 1])
    page = client.get(response.url).content.decode()
    assert version.content_hash in page and "第 1 版" in page and "申报回执" in page


def test_the_check_page_links_each_problem_to_its_field(client, draft, applicant):
    client.force_login(applicant)
    page = client.get(reverse("applications:check", args=[draft.pk])).content.decode()
    assert f"/applications/{draft.pk}/section/industry/?check=1#cell-output__2021" in page
    assert "尚未上传承诺书（法定代表人签字、申报单位盖章）扫描件，不能提交。" in page


def test_the_lead_city_sees_a_submitted_application_but_not_a_draft(ready, applicant):
    from accounts import scoping

    bureau = factories.user(Role.BUREAU, region_code="150200")
    other_bureau = factories.user(Role.BUREAU, region_code="150500")
    assert not scoping.may_view_application(bureau, ready)
    submission.submit(ready, applicant)
    assert scoping.may_view_application(bureau, ready)
    assert not scoping.may_view_application(other_bureau, ready)

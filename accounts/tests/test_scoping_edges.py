"""The scoping questions the visibility matrix does not ask: every role against each export, the audit
log, 盟市 management, records, official PDFs and evidence files.

Each test stands where changing one role, argument or operator in accounts/scoping.py would let the
wrong person in or keep the right one out (`make mutation`, docs/testing.md). Who sees an application
in each state is tests/test_visibility_matrix.py.
"""

import pytest
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application, Attachment, Status
from documents.models import OfficialDocument, OfficialStatus
from regions.models import Region
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db

ONE_OF_EACH = list(Role)


@pytest.fixture
def people(db):
    """One account of every role, the 盟市工信局 being 包头's (150200)."""
    return {role: factories.user(role) for role in ONE_OF_EACH}


@pytest.fixture
def submitted(media, call):
    """A submitted 包头 application."""
    return factories.submitted_application("150200")


@pytest.mark.parametrize(
    ("question", "allowed"),
    [
        (scoping.may_read_audit_log, {Role.AUDIT_ADMIN}),
        (scoping.may_export_summary, {Role.DEPARTMENT, Role.BUREAU}),
        (scoping.may_export_recommendation_list, {Role.BUREAU}),
        (scoping.may_manage_regions, {Role.SYSTEM_ADMIN}),
        (scoping.may_manage_experts, {Role.DEPARTMENT}),
        (scoping.may_extend_deadlines, {Role.DEPARTMENT}),
        (scoping.may_apply, {Role.APPLICANT}),
    ],
)
def test_each_role_may_or_may_not_exactly_as_the_rule_says(people, question, allowed):
    assert {role for role, person in people.items() if question(person)} == allowed


def test_only_the_system_administrator_lists_the_regions_to_manage(people):
    assert set(scoping.regions_for_management(people[Role.SYSTEM_ADMIN])) == set(Region.objects.all())
    for role in set(ONE_OF_EACH) - {Role.SYSTEM_ADMIN}:
        assert not scoping.regions_for_management(people[role]).exists(), role


def test_a_bureau_lists_what_its_own_region_recommended_and_no_one_else_does(people, submitted):
    Application.objects.filter(pk=submitted.pk).update(status=Status.RECOMMENDED)
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    assert list(scoping.recommended_for(people[Role.BUREAU], submitted.call)) == [submitted]
    assert list(scoping.recommended_for(tongliao, submitted.call)) == []
    assert list(scoping.recommended_for(people[Role.DEPARTMENT], submitted.call)) == []


def test_only_the_region_regenerates_an_official_pdf_and_only_of_what_it_may_see(people, submitted):
    assert scoping.may_regenerate_official_document(people[Role.DEPARTMENT], submitted)
    assert not scoping.may_regenerate_official_document(people[Role.BUREAU], submitted)  # sees it; not the 自治区
    Application.objects.filter(pk=submitted.pk).update(status=Status.DRAFT)
    submitted.refresh_from_db()
    assert not scoping.may_regenerate_official_document(people[Role.DEPARTMENT], submitted)


def test_the_bureau_and_the_region_review_records_of_what_they_may_see(people, submitted):
    assert scoping.may_review_records(people[Role.BUREAU], submitted)
    assert scoping.may_review_records(people[Role.DEPARTMENT], submitted)
    assert not scoping.may_review_records(submitted.created_by, submitted)  # sees it, is no reviewer
    assert not scoping.may_review_records(factories.user(Role.BUREAU, region_code="150500"), submitted)
    Application.objects.filter(pk=submitted.pk).update(status=Status.DRAFT)
    submitted.refresh_from_db()
    assert not scoping.may_review_records(people[Role.DEPARTMENT], submitted)


def test_the_applicant_downloads_its_files_until_it_removes_them(submitted):
    attachment = submitted.attachments.first()
    assert scoping.may_download_attachment(submitted.created_by, attachment)
    attachment.removed_at = timezone.now()
    assert not scoping.may_download_attachment(submitted.created_by, attachment)


def test_a_reviewer_downloads_only_files_frozen_into_a_version_it_may_see(people, submitted):
    frozen = submitted.attachments.first()
    bureau = people[Role.BUREAU]
    assert scoping.may_download_attachment(bureau, frozen)
    assert not scoping.may_download_attachment(factories.user(Role.BUREAU, region_code="150500"), frozen)
    later = Attachment.objects.create(
        application=submitted, slot=frozen.slot, file=frozen.file.name, original_name="补充.pdf",
        file_type="pdf", size=frozen.size, sha256=frozen.sha256, uploaded_by=submitted.created_by,
    )  # fmt: skip
    assert scoping.may_download_attachment(submitted.created_by, later)
    assert not scoping.may_download_attachment(bureau, later)


def test_the_failed_official_pdfs_come_with_their_applications_in_one_query(
    people, submitted, django_assert_num_queries
):
    # The 自治区's home page names each failed PDF's application: one query, however many failed.
    OfficialDocument.objects.create(version=submitted.versions.get(), kind="report", status=OfficialStatus.FAILED)
    with django_assert_num_queries(1):
        failed = scoping.failed_official_documents_for(people[Role.DEPARTMENT], OfficialDocument.objects)
        assert [document.version.application for document in failed] == [submitted]


def test_an_applicant_applies_only_while_active_and_approved(people):
    applicant = people[Role.APPLICANT]
    applicant.is_active = False
    assert not scoping.may_apply(applicant)
    pending = factories.user(Role.APPLICANT, organisation_obj=factories.organisation("150200", status="pending"))
    assert not scoping.may_apply(pending)


def test_an_application_belongs_to_the_active_users_of_its_approved_organisation(submitted):
    owner = submitted.created_by
    assert scoping.is_applicant_of(owner, submitted)
    assert not scoping.is_applicant_of(factories.user(Role.APPLICANT), submitted)
    owner.is_active = False
    assert not scoping.is_applicant_of(owner, submitted)


def test_only_its_own_applicant_edits_an_application_and_only_while_it_is_editable(submitted):
    owner = submitted.created_by
    assert not scoping.may_edit_application(owner, submitted)  # submitted: waiting for its 盟市
    submitted.status = Status.RETURNED
    assert scoping.may_edit_application(owner, submitted)
    assert not scoping.may_edit_application(factories.user(Role.APPLICANT), submitted)
    owner.is_active = False
    assert not scoping.may_edit_application(owner, submitted)


def test_only_the_system_administrator_manages_an_organisations_accounts(people):
    organisation = people[Role.APPLICANT].organisation
    assert scoping.may_manage_organisation(people[Role.SYSTEM_ADMIN], organisation)
    assert not scoping.may_manage_organisation(people[Role.DEPARTMENT], organisation)  # sees it; not its job


# --- Lists come with what their pages show, in one query ---


def test_organisations_come_with_their_region(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert all(o.region.name for o in scoping.organisations_for(people[Role.SYSTEM_ADMIN]))


def test_accounts_come_with_their_organisation_and_region(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        listed = {(u.organisation, u.region) for u in scoping.accounts_for(people[Role.SYSTEM_ADMIN])}
    assert (people[Role.APPLICANT].organisation, people[Role.APPLICANT].region) in listed
    assert (None, people[Role.BUREAU].region) in listed


def test_applications_come_with_their_call_organisation_and_lead_region(people, submitted, django_assert_num_queries):
    with django_assert_num_queries(1):
        listed = [(a.call.code, a.organisation.name, a.lead_region.name)
                  for a in scoping.applications_for(people[Role.DEPARTMENT], Application.objects)]  # fmt: skip
    assert listed == [(submitted.call.code, submitted.organisation.name, submitted.lead_region.name)]


def test_expert_reviews_come_with_their_application_organisation_expert_and_version(
    people, submitted, django_assert_num_queries
):
    expert = factories.user(Role.EXPERT, region_code="150100")
    ExpertReview.objects.create(
        application=submitted, version=submitted.latest_version, expert=expert, assigned_by=people[Role.DEPARTMENT]
    )
    with django_assert_num_queries(1):
        listed = [(r.application.organisation.name, r.expert.pk, r.version.number)
                  for r in scoping.expert_reviews_for(people[Role.DEPARTMENT], ExpertReview.objects)]  # fmt: skip
    assert listed == [(submitted.organisation.name, expert.pk, 1)]

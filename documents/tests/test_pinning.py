"""A submitted version is printed with the schema revision it answered, years later, whatever changed since;
a version whose revision is gone or altered is refused, never printed with another."""

import pytest
from django.urls import reverse

from authoring import editing
from authoring.tests.conftest import LABEL_2024, NEW_LABEL, edited, relabel_area, tighten_industry_chain, xlsx
from calls.models import RevisionMissing, SchemaRevision
from calls.schema import loader
from documents.record import record_of
from documents.rendering import render
from documents.tests.test_documents import docx_text
from tests import factories
from tests.pdf import pdf_text


def printed(app, number):
    record = record_of(app, number)
    return pdf_text(render(record, "report", "pdf").content), docx_text(render(record, "report", "docx").content)


def test_a_changed_label_and_limit_leave_a_submitted_versions_documents_as_they_were(
    demo_submitted, department, client
):
    app = demo_submitted
    call = app.call
    pdf_before, docx_before = printed(app, 1)
    assert LABEL_2024 in pdf_before.replace("\n", "") and LABEL_2024 in docx_before

    revision = editing.store_upload(
        call, xlsx(edited(call.current_revision, relabel_area, tighten_industry_chain)), department
    )
    editing.publish(revision, department)

    pdf_after, docx_after = printed(app, 1)
    assert pdf_after == pdf_before and docx_after == docx_before
    assert NEW_LABEL not in pdf_after.replace("\n", "")
    # A new applicant's draft answers the new revision: its form shows the new label and limit.
    newcomer = factories.user(factories.Role.APPLICANT)
    draft = factories.application(newcomer, call)
    assert draft.schema_revision == revision
    client.force_login(newcomer)
    page = client.get(reverse("applications:section", args=[draft.pk, "basic"])).content.decode()
    assert NEW_LABEL in page and LABEL_2024 not in page
    assert draft.schema.fields["industry_chain"].max_chars == 20


def test_a_version_whose_revision_text_was_altered_is_refused_not_printed(demo_submitted, client):
    app = demo_submitted
    revision = app.latest_version.schema_revision
    SchemaRevision.objects.filter(pk=revision.pk).update(source=revision.source.replace("集群名称", "项目名称"))
    loader.forget()  # as a process started after the change would: it reads the text and checks its digest

    with pytest.raises(RevisionMissing, match="内容与其 SHA-256 摘要不符"):
        record_of(app, 1)
    client.force_login(app.created_by)
    response = client.get(reverse("documents:download", args=[app.pk, "report", "docx"]) + "?version=1")
    assert response.status_code == 500
    assert "申报书结构缺失，拒绝显示" in response.content.decode()


def test_a_version_without_its_revision_is_refused_not_printed_with_the_current_one(demo_submitted):
    from applications.models import Version

    Version.objects.filter(pk=demo_submitted.latest_version.pk).update(schema_revision=None)

    with pytest.raises(RevisionMissing, match="不在系统中"):
        record_of(demo_submitted, 1)


def test_a_version_pinned_to_a_revision_of_another_digest_is_refused(demo_submitted, department):
    from applications.models import Version

    call = demo_submitted.call
    other = editing.store_upload(call, xlsx(edited(call.current_revision, relabel_area)), department)
    Version.objects.filter(pk=demo_submitted.latest_version.pk).update(schema_revision=other)

    with pytest.raises(RevisionMissing):
        record_of(demo_submitted, 1)

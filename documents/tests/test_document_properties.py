"""Every PDF and DOCX says what it is in its file properties: title, subject, the platform as author, and
when it was made — a version's submission time, or now for a draft and for lists made on request.

Read back with poppler's pdfinfo and python-docx, as a file manager or a records system would.
"""

import datetime
import io
import zipfile

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from accounts import scoping
from applications import demo
from documents import application_report, performance_table
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.recommendation import recommendation_pdf
from documents.record import record_of
from documents.signing import load, sign_pdf
from tests.pdf import pdf_info


def pdf_created(info):
    return datetime.datetime.fromisoformat(info["CreationDate"])


def test_a_versions_pdf_names_the_report_the_platform_and_the_submission_time(demo_submitted):
    version = demo_submitted.latest_version
    for build in (application_report.build, performance_table.build):
        doc = build(record_of(demo_submitted, version.number))
        info = pdf_info(document_pdf(doc))
        assert info["Title"] == doc.title
        assert info["Author"] == settings.PLATFORM_NAME
        assert info["Creator"] == settings.PLATFORM_NAME
        assert demo_submitted.number in info["Subject"] and "第1版" in info["Subject"]
        assert pdf_created(info) == version.submitted_at.replace(microsecond=0)


def test_a_drafts_pdf_is_dated_when_it_is_printed(draft):
    draft.data.update(demo.HALF_FILLED)
    draft.save()
    before = timezone.now().replace(microsecond=0)
    info = pdf_info(document_pdf(application_report.build(record_of(draft))))
    assert before <= pdf_created(info) <= timezone.now()
    assert "草稿" in info["Subject"] and info["Author"] == settings.PLATFORM_NAME


def test_a_list_made_on_request_has_the_same_properties(bureau, call):
    now = timezone.now().replace(microsecond=0)
    info = pdf_info(recommendation_pdf(scoping.recommended_for(bureau, call), call.schema, bureau.region, now))
    assert info["Title"] and info["Author"] == settings.PLATFORM_NAME
    assert bureau.region.bureau_name in info["Subject"]
    assert pdf_created(info) == now


def test_a_versions_docx_names_the_report_the_platform_and_the_submission_time(demo_submitted):
    version = demo_submitted.latest_version
    doc = application_report.build(record_of(demo_submitted, version.number))
    content = document_docx(doc)
    props = Document(io.BytesIO(content)).core_properties
    assert props.title == doc.title and "第1版" in props.subject
    assert props.author == props.last_modified_by == settings.PLATFORM_NAME
    assert props.created == props.modified == version.submitted_at.replace(microsecond=0)
    assert "python-docx" not in (props.author + props.comments + props.last_modified_by)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        app = archive.read("docProps/app.xml").decode()
        members, types = archive.namelist(), archive.read("[Content_Types].xml").decode()
    assert f"<Application>{settings.PLATFORM_NAME}</Application>" in app
    # No preview picture: python-docx's template carries a thumbnail of another document.
    assert not any("thumbnail" in name for name in members) and "thumbnail" not in types


def test_a_drafts_docx_is_dated_when_it_is_printed(draft):
    before = timezone.now().replace(microsecond=0)
    props = Document(io.BytesIO(document_docx(application_report.build(record_of(draft))))).core_properties
    assert before <= props.created <= timezone.now()


def test_docx_table_cells_keep_a_margin_above_and_below_their_text(demo_submitted):
    word = Document(io.BytesIO(document_docx(application_report.build(record_of(demo_submitted, 1)))))
    assert word.tables
    for table in word.tables:
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert margins is not None
        for side in ("top", "bottom"):
            assert 40 <= int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) <= 60


def test_signing_keeps_the_official_pdfs_properties(demo_submitted, signing):
    version = demo_submitted.latest_version
    doc = application_report.build(record_of(demo_submitted, version.number))
    info = pdf_info(sign_pdf(document_pdf(doc), load()).content)
    assert (info["Title"], info["Author"]) == (doc.title, settings.PLATFORM_NAME)
    assert pdf_created(info) == version.submitted_at.replace(microsecond=0)

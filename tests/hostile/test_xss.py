"""XSS: script-like text typed into any text field comes back escaped in pages and literal in documents.

Every text cell of the schema (text, longtext, the parts of text groups, list items, table columns)
is filled with a payload through autosave; the editor, the overview and the reviewers' pages must
show only the escaped form, the DOCX must hold it as literal text, the PDF must print it and never
fetch what an <img src> names, and the workbook must hold it as a plain string.
"""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.autosave import saveable_cells
from documents import application_report
from documents import pdf as pdf_module
from documents.docx import document_docx
from documents.record import record_of
from documents.tests.workbooks import export, open_book
from reviews import initial_review
from tests import factories
from tests.hostile.support import post_autosave
from tests.pdf import pdf_text

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}{% debug %}",
    "</textarea><svg onload=alert(1)>",
]
RAW = ["<script>alert(1)</script>", "<img src=x onerror", "<svg onload", "</textarea><svg"]
TEXT_KINDS = {"text", "longtext"}


def hostile_changes(schema):
    """A payload in every saveable text cell, every list item and every free-text table column."""
    changes = {}
    for n, cell in enumerate(saveable_cells(schema).values()):
        payload = PAYLOADS[n % len(PAYLOADS)]
        if cell.kind in TEXT_KINDS:
            changes[cell.name] = payload
        elif cell.kind in {"names", "text_list"}:
            changes[cell.name] = PAYLOADS
        elif cell.kind == "rows":
            text_columns = [c["key"] for c in cell.field.columns if c.get("type") == "text"]
            changes[cell.name] = [{key: p for key in text_columns} for p in PAYLOADS]
    return changes


def assert_escaped(html):
    for raw in RAW:
        assert raw not in html, f"{raw!r} reached the page unescaped"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.fixture
def hostile_draft(signed_in, draft):
    changes = hostile_changes(draft.call.schema)
    assert sum(c.kind in TEXT_KINDS for c in draft.call.schema.cells.values()) <= len(changes)
    response = post_autosave(signed_in, draft, {"version": 0, "changes": changes})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.data["industry_chain"] in PAYLOADS  # stored as typed: escaping is the output's job
    return draft


def test_every_editor_page_and_the_overview_show_the_payloads_escaped(signed_in, hostile_draft):
    schema = hostile_draft.call.schema
    urls = [reverse("applications:overview", args=[hostile_draft.pk])]
    urls += [reverse("applications:section", args=[hostile_draft.pk, s.key]) for s in schema.sections]
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, f"{raw!r} unescaped on {url}"
    every = "".join(signed_in.get(u).content.decode() for u in urls)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in every
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in every
    assert "{{7*7}}" in every  # typed braces are shown, never evaluated as a template


def test_the_docx_holds_the_payloads_as_literal_text(hostile_draft):
    content = document_docx(application_report.build(record_of(hostile_draft)))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script" not in xml and "<img" not in xml and "<svg" not in xml


def test_the_pdf_prints_the_payloads_and_fetches_nothing(hostile_draft, monkeypatch):
    hostile_draft.data["cluster_name"] = '<img src="http://evil.example/x.png"><img src="file:///etc/passwd">'
    hostile_draft.save()
    seen = []
    real_html = pdf_module.HTML

    def recording_html(*args, string="", **kwargs):
        seen.append(string)
        return real_html(*args, string=string, **kwargs)

    monkeypatch.setattr(pdf_module, "HTML", recording_html)
    text = pdf_text(pdf_module.document_pdf(application_report.build(record_of(hostile_draft))))
    assert "<script>alert(1)</script>" in text
    assert '<img src="http://evil.example/x.png">' in text
    assert "<img src=" not in seen[0] and '<img src="http' not in seen[0]
    fetcher = pdf_module._fetcher()
    for url in ("http://evil.example/x.png", "file:///etc/passwd"):
        with pytest.raises(Exception):  # noqa: B017 - whatever WeasyPrint raises, nothing is fetched
            fetcher.fetch(url)


def test_the_workbook_holds_the_payloads_as_plain_strings(hostile_draft):
    book = open_book(export(hostile_draft))
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert set(PAYLOADS) <= values


def test_site_visit_notes_and_opinions_are_escaped_on_the_review_pages(client, media, bureau, department):
    app = factories.submitted_application("150200")
    initial_review.record_site_visit(
        app, bureau, timezone.localdate(), PAYLOADS[1], PAYLOADS[0], [factories.upload("现场.png")]
    )
    initial_review.recommend(app, bureau, PAYLOADS[0] + PAYLOADS[4], factories.upload("推荐文件.pdf"))
    for user in (bureau, department):
        client.force_login(user)
        html = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
        assert_escaped(html)


def test_registration_fields_are_escaped_when_the_form_comes_back(client, db):
    data = {"name": PAYLOADS[0], "legal_representative": PAYLOADS[1], "address": PAYLOADS[4], "email": "bad"}
    response = client.post(reverse("accounts:register"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert_escaped(html)

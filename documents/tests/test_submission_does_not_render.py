"""A submission never waits for a document: it is accepted even when every renderer hangs or fails."""

import docx as python_docx
import openpyxl
import weasyprint
from django.urls import reverse

from applications.models import Status
from documents import docx, pdf, rendering, workbook


def test_submission_is_accepted_while_every_renderer_is_broken(client, ready, applicant, monkeypatch):
    calls = []

    def broken(name):
        def renderer(*args, **kwargs):
            calls.append(name)
            raise RuntimeError(f"{name} is down")  # stands for a renderer that hangs or fails

        return renderer

    # The libraries themselves, whoever calls them, and this project's entry points.
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken("weasyprint"))
    monkeypatch.setattr(weasyprint.HTML, "render", broken("weasyprint layout"))
    monkeypatch.setattr(python_docx.document.Document, "save", broken("python-docx"))
    monkeypatch.setattr(openpyxl.Workbook, "save", broken("openpyxl"))
    monkeypatch.setattr(pdf, "html_to_pdf", broken("html_to_pdf"))
    monkeypatch.setattr(docx, "document_docx", broken("docx"))
    monkeypatch.setattr(rendering, "render", broken("render"))
    monkeypatch.setattr(workbook, "export_workbook", broken("xlsx"))
    client.force_login(applicant)

    response = client.post(reverse("applications:submit", args=[ready.pk]))

    assert response.status_code == 302 and response.url == reverse("applications:receipt", args=[ready.pk, 1])
    ready.refresh_from_db()
    assert ready.status == Status.SUBMITTED and ready.versions.count() == 1
    assert client.get(response.url).status_code == 200  # the receipt is a page, printed by the browser
    assert calls == []

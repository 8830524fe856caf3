"""HTML to PDF with WeasyPrint: one print stylesheet, CJK fonts embedded and subset, no network."""

from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from documents.qr import qr_data_uri

STYLESHEET = Path(__file__).resolve().parent / "styles" / "print.css"


def _fetcher():
    # Documents embed their images as data: URLs. Anything else (a hostile <img src=http://…> that
    # escaped escaping, a file:// probe) is refused rather than fetched.
    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def html_to_pdf(html):
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def render_pdf(template_name, context):
    return html_to_pdf(render_to_string(template_name, context))


def document_pdf(doc):
    """A documents.content.Document as PDF: the same blocks the DOCX renderer lays out."""
    qr = qr_data_uri(doc.verify_url) if doc.verify_url else ""
    return render_pdf("print/document.html", {"doc": doc, "qr": qr})

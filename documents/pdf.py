"""HTML to PDF with WeasyPrint: one print stylesheet, CJK fonts embedded and subset, no network.

Every PDF the platform makes passes through html_to_pdf, which also writes its document properties:
the title (the page's <title>), the platform as author and creator, a subject, and the time the
document stands for — a version's submission, or now for anything else.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from documents.qr import qr_data_uri

STYLESHEET = Path(__file__).resolve().parent / "styles" / "print.css"


def _fetcher():
    # Documents embed their images as data: URLs. Anything else (a hostile <img src=http://…> that
    # escaped escaping, a file:// probe) is refused rather than fetched.
    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def html_to_pdf(html, *, subject="", created=None):
    """`subject` defaults to the page's <meta name=description>, else its title; `created` to now."""
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    rendered = HTML(string=html, url_fetcher=_fetcher()).render(stylesheets=[stylesheet], font_config=fonts)
    describe(rendered.metadata, subject, created)
    return rendered.write_pdf()


def describe(metadata, subject="", created=None):
    metadata.authors = [settings.PLATFORM_NAME]
    metadata.generator = settings.PLATFORM_NAME  # the PDF's Creator; WeasyPrint stays its Producer
    metadata.description = subject or metadata.description or metadata.title
    when = timezone.localtime(created or timezone.now()).isoformat(timespec="seconds")
    metadata.created = metadata.modified = when


def render_pdf(template_name, context, *, subject="", created=None):
    return html_to_pdf(render_to_string(template_name, context), subject=subject, created=created)


def document_pdf(doc):
    """A documents.content.Document as PDF: the same blocks the DOCX renderer lays out."""
    qr = qr_data_uri(doc.verify_url) if doc.verify_url else ""
    return render_pdf("print/document.html", {"doc": doc, "qr": qr}, subject=doc.subject, created=doc.created)

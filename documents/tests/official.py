"""Official PDFs (documents/official.py) put in place directly, for tests that need one stored but not made."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from documents import official, rendering
from documents.models import OfficialDocument, OfficialStatus, official_path
from documents.rendering import TITLES
from documents.views import reports


def stored(version, kind="report", content=None):
    """A finished official document of `version` whose stored bytes are `content` (a small stand-in PDF)."""
    content = content or f"%PDF-1.7\n% {version.pk} {kind}\n%%EOF\n".encode()
    name = default_storage.save(official_path(None, ""), ContentFile(content))
    return OfficialDocument.objects.create(
        version=version,
        kind=kind,
        status=OfficialStatus.DONE,
        file=name,
        filename=f"{version.application.number}-{TITLES[kind]}-第{version.number}版.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        attempts=1,
        generated_at=timezone.now(),
    )


def failed(version, kind="report", attempts=5, error="生成 PDF 时出错。", retry_at=None):
    """A failed official document; with no `retry_at` it has given up and waits for 重新生成."""
    return OfficialDocument.objects.create(
        version=version,
        kind=kind,
        status=OfficialStatus.FAILED,
        attempts=attempts,
        error=error,
        next_attempt_at=retry_at,
        started_at=timezone.now(),
    )


def pdf_url(app, document="report", version=1):
    return reverse("documents:download", args=[app.pk, document, "pdf"]) + f"?version={version}"


def refuse_rendering(monkeypatch):
    """Any rendering from here on fails the test: what is served must be what was stored."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(rendering, "render", refuse)
    monkeypatch.setattr(official, "render", refuse)
    monkeypatch.setattr(reports, "render_document", refuse)

"""The official PDFs as made by the worker: signed (pdfsig), stored, served as stored, hashed on the verify page.

One real submission's two PDFs are rendered and signed once for the whole module (about two seconds).
"""

import base64
import hashlib
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from documents import jobs, official, rendering
from documents.models import OfficialDocument, OfficialStatus
from documents.record import format_code, record_of
from documents.tests.official import pdf_url, refuse_rendering
from tests import factories
from tests.pdf import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_query_counts")]  # counted queries
PATH = re.compile(r"official/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")


def certificate_sha256(pem_path):
    """The SHA-256 of the certificate's DER, read straight from the PEM text (no library's fingerprint)."""
    body = "".join(line for line in pem_path.read_text().splitlines() if not line.startswith("-----"))
    return hashlib.sha256(base64.b64decode(body)).hexdigest()


def pdfsig(path):
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False).stdout  # noqa: S603, S607


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory, signing_files):
    """Built inside a transaction rolled back at the module's end; each test runs in a savepoint within it."""
    media_root = tmp_path_factory.mktemp("media")
    signing = {
        "SHENBAO_SIGNING_KEY": str(signing_files / "key.pem"),
        "SHENBAO_SIGNING_CERT": str(signing_files / "cert.pem"),
    }
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root), transaction.atomic():
        factories.open_call()
        app = factories.submitted_application("150200")
        version = app.latest_version
        assert not OfficialDocument.objects.exists()  # submitting made nothing
        with override_settings(**signing):
            jobs.work(once=True)
        documents = {row.kind: row for row in OfficialDocument.objects.filter(version=version)}
        stored = {kind: default_storage.open(row.file.name).read() for kind, row in documents.items()}
        yield SimpleNamespace(app=app, version=version, documents=documents, stored=stored, certificate=signing_files)
        transaction.set_rollback(True)


def test_the_worker_makes_both_official_pdfs_once_signed_and_stored(made):
    schema = record_of(made.app, 1).schema
    assert set(made.documents) == {"report", "performance"} == set(rendering.official_kinds(schema))
    for kind, row in made.documents.items():
        content = made.stored[kind]
        assert (row.status, row.attempts, row.error, row.next_attempt_at) == (OfficialStatus.DONE, 1, "", None)
        assert row.sha256 == hashlib.sha256(content).hexdigest() and row.size == len(content)
        assert content.startswith(b"%PDF") and row.generated_at >= made.version.submitted_at
        # A random name: nothing the applicant typed, not even the application number, is in the path.
        assert PATH.fullmatch(row.file.name) and made.app.number not in row.file.name
        assert row.filename == f"{made.app.number}-{rendering.TITLES[kind]}-第1版.pdf"
        assert row.certificate_sha256 == certificate_sha256(made.certificate / "cert.pem")
        assert "CN=shenbao 演示签名证书（仅供演示）" in row.certificate_subject
    text = pdf_text(made.stored["report"])
    assert format_code(made.version.content_hash) in text and "草稿" not in text


def test_a_second_pass_of_the_worker_makes_nothing_new(made, monkeypatch):
    refuse_rendering(monkeypatch)
    assert not official.work_one("another")
    assert {row.kind: row.sha256 for row in OfficialDocument.objects.all()} == {
        kind: row.sha256 for kind, row in made.documents.items()
    }


def test_pdfsig_finds_the_signature_valid_and_invalid_once_a_signed_byte_changes(made, tmp_path):
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(made.stored["report"])
    report = pdfsig(signed)
    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report and "Signing Hash Algorithm: SHA-256" in report
    assert "shenbao 演示签名证书（仅供演示）" in report and "Total document signed" in report

    first_range = re.search(r"Signed Ranges: \[(\d+) - (\d+)\]", report)
    changed = bytearray(made.stored["report"])
    offset = int(first_range.group(2)) // 2  # inside the first signed range, in the page content
    changed[offset] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(changed))
    after = pdfsig(tampered)
    assert "Signature #1" in after and "Signature is Valid." not in after


def test_the_signature_leaves_the_pages_looking_as_rendered(made, tmp_path):
    signed = made.stored["performance"]
    end = signed.index(b"%%EOF") + len(b"%%EOF")  # an incremental update: the rendering is a prefix
    (tmp_path / "signed.pdf").write_bytes(signed)
    (tmp_path / "unsigned.pdf").write_bytes(signed[:end])
    for name in ("signed", "unsigned"):
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],  # noqa: S607
            check=True,
            timeout=60,
        )
    (signed_png,), (unsigned_png,) = (sorted(tmp_path.glob(f"{name}-*.png")) for name in ("signed", "unsigned"))
    assert signed_png.read_bytes() == unsigned_png.read_bytes()


def test_downloads_serve_the_stored_bytes_and_never_render_again(made, client, monkeypatch):
    refuse_rendering(monkeypatch)
    bureau = factories.user(Role.BUREAU, region_code="150200")
    client.force_login(bureau)
    before = AuditEntry.objects.filter(action="download").count()
    for _ in range(2):
        response = client.get(pdf_url(made.app))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == made.stored["report"]
        assert response["Cache-Control"] == "no-store"
        assert (
            response["Content-Disposition"].startswith("attachment;")
            and "filename*=utf-8''" in response["Content-Disposition"]
        )
    # Without ?version a reviewer gets the latest submitted version: the same stored file.
    latest = client.get(reverse("documents:download", args=[made.app.pk, "performance", "pdf"]))
    assert b"".join(latest.streaming_content) == made.stored["performance"]
    entries = AuditEntry.objects.filter(action="download").order_by("seq")
    assert entries.count() == before + 3
    assert entries.last().user == bureau and entries.last().detail["format"] == "pdf"


def test_the_applicant_downloads_the_same_bytes_and_word_is_still_rendered_on_demand(made, client):
    client.force_login(made.app.organisation.users.get())
    pdf = client.get(pdf_url(made.app, "performance"))
    assert b"".join(pdf.streaming_content) == made.stored["performance"]
    word = client.get(reverse("documents:download", args=[made.app.pk, "performance", "docx"]) + "?version=1")
    assert word.status_code == 200 and word.content.startswith(b"PK")


def test_the_verify_page_shows_each_stored_pdfs_hash_size_and_time_to_anyone(made, client):
    page = client.get(reverse("verify", args=[made.version.content_hash[:16]])).content.decode()
    for kind, row in made.documents.items():
        assert row.sha256 in page and f"{row.size} 字节" in page and rendering.TITLES[kind] in page
    assert made.app.organisation.name not in page  # the rest stays for those who may see the application


def test_pages_offer_the_pdf_links_once_stored_with_one_query_for_the_list(made, client):
    client.force_login(made.app.organisation.users.get())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("applications:overview", args=[made.app.pk])).content.decode()
    assert pdf_url(made.app) in page and pdf_url(made.app, "performance") in page and "正在生成" not in page
    assert sum("documents_officialdocument" in q["sql"] for q in queries.captured_queries) == 1


def test_the_department_sees_each_documents_hash_and_certificate(made, client, department):
    client.force_login(department)
    page = client.get(reverse("reviews:detail", args=[made.app.pk])).content.decode()
    assert 'id="official"' in page and "重新生成</button>" not in page
    for row in made.documents.values():
        assert row.sha256 in page and row.certificate_sha256 in page

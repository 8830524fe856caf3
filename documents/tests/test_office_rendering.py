"""The 申请报告 DOCX as LibreOffice prints it: the pages of the PDF, text within the page, the QR readable.

LibreOffice Writer (Debian's libreoffice-writer-nogui) and zbar-tools are installed by `make test`
(APT_TEST in the Makefile); a plain `pytest` on a machine without them skips.
"""

import shutil
import subprocess

import pytest

from documents import application_report
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.record import record_of
from tests.pdf import pdf_words

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="needs LibreOffice Writer, zbarimg and pdftoppm (make test installs them)",
)


def libreoffice_pdf(docx, folder):
    source = folder / "申请报告.docx"
    source.write_bytes(docx)
    profile = f"-env:UserInstallation=file://{folder}/profile"  # its own profile: parallel runs do not share one
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603 - fixed arguments
    return (folder / "申请报告.pdf").read_bytes()


def qr_codes(pdf, folder):
    """What zbarimg reads from each page rendered at 150 dpi, as a clerk's scanner would see a print."""
    (folder / "printed.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(folder / "printed.pdf"), str(folder / "page")], check=True)  # noqa: S603, S607
    found = []
    for page in sorted(folder.glob("page-*.png")):
        scan = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True)  # noqa: S603, S607
        found.append(scan.stdout.strip())
    return found


def test_the_docx_prints_in_libreoffice_as_the_pdf_does_with_a_readable_qr_on_every_page(demo_submitted, tmp_path):
    report = application_report.build(record_of(demo_submitted, demo_submitted.latest_version.number))
    printed = libreoffice_pdf(document_docx(report), tmp_path)

    words = pdf_words(printed)
    assert max(page for page, *_ in words) == max(page for page, *_ in pdf_words(document_pdf(report)))
    assert [w for w in words if w[2] < 0 or w[3] > w[1]] == []  # no text outside the page
    codes = qr_codes(printed, tmp_path)
    assert codes and all(code.endswith(report.verify_url) for code in codes), codes

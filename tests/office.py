"""Printing a document the way a clerk's office suite does: LibreOffice headless to PDF, zbarimg on its pages.

LibreOffice Writer and Calc (Debian's libreoffice-writer-nogui, libreoffice-calc-nogui) and zbar-tools are
installed by `make test` (APT_TEST in the Makefile); tests that need them skip on a machine without them.
"""

import shutil
import subprocess

import pytest

from tests.pdf import pdf_info, pdf_words

needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="needs LibreOffice, zbarimg and pdftoppm (make test installs them)",
)


def libreoffice_pdf(content, name, folder):
    """The PDF LibreOffice prints from `content` (DOCX or XLSX bytes) saved as `name` in `folder`/print."""
    folder = folder / "print"
    folder.mkdir(exist_ok=True)
    source = folder / name
    source.write_bytes(content)
    profile = f"-env:UserInstallation=file://{folder}/profile"  # its own profile: parallel runs share none
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603 - fixed arguments
    return source.with_suffix(".pdf").read_bytes()


def qr_codes(pdf, folder):
    """What zbarimg reads from each page rendered at 150 dpi, as a clerk's scanner sees a print."""
    folder = folder / "scan"
    folder.mkdir(exist_ok=True)
    (folder / "printed.pdf").write_bytes(pdf)
    render = ["pdftoppm", "-r", "150", "-png", str(folder / "printed.pdf"), str(folder / "page")]
    subprocess.run(render, check=True)  # noqa: S603
    scans = (["zbarimg", "-q", "--raw", str(page)] for page in sorted(folder.glob("page-*.png")))
    return [subprocess.run(scan, capture_output=True, text=True).stdout.strip() for scan in scans]  # noqa: S603


def outside_the_page(pdf):
    return [word for word in pdf_words(pdf) if word[2] < 0 or word[3] > word[1]]


def pages(pdf):
    return int(pdf_info(pdf)["Pages"])

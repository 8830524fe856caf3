"""Reading PDFs back the way a person's viewer would: poppler's pdftotext and pdffonts (Debian poppler-utils)."""

import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path


def _poppler(tool, *args):
    executable = shutil.which(tool)
    assert executable, f"{tool} 未安装：apt-get install poppler-utils（make test 会自动安装）"
    # Fixed arguments: the tool's own path and a file the test wrote.
    return subprocess.run([executable, *args], capture_output=True, text=True, check=True).stdout  # noqa: S603


def pdf_text(pdf, *, raw=False):
    """The text of a PDF given as bytes or a path; pages are separated by form feeds."""
    if isinstance(pdf, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(pdf)
            return pdf_text(path, raw=raw)
    return _poppler("pdftotext", *(["-raw"] if raw else []), str(pdf), "-")


def pdf_fonts(pdf_path):
    """pdffonts' table rows: one line per font, with its embedded (emb) flag."""
    return _poppler("pdffonts", str(pdf_path)).splitlines()[2:]


WORD = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>'
WORD_TOP = r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>'


def _bbox_pages(pdf):
    """pdftotext -bbox's pages, as (page width, the page's <word> elements)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        html = _poppler("pdftotext", "-bbox", str(path), "-")
    return [(float(width), body) for width, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', html, re.S)]


def pdf_word_tops(pdf):
    """Every word pdftotext -bbox finds, as (page number, top edge in points from the page's top, text)."""
    return [
        (number, float(top), unescape(text))
        for number, (_width, body) in enumerate(_bbox_pages(pdf), 1)
        for top, text in re.findall(WORD_TOP, body)
    ]


def pdf_words(pdf):
    """Every word pdftotext -bbox finds, as (page number, page width, x_min, x_max, text), in points."""
    return [
        (number, width, float(x_min), float(x_max), unescape(text))
        for number, (width, body) in enumerate(_bbox_pages(pdf), 1)
        for x_min, x_max, text in re.findall(WORD, body)
    ]


def pdf_info(pdf):
    """pdfinfo's Title, Author, Subject, CreationDate… as a dict (dates in ISO 8601 with -isodates)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        lines = _poppler("pdfinfo", "-isodates", str(path)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}

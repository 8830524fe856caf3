"""Hostile uploads: refused with a Chinese message, or stored under a generated name and served inertly.

Controls: recognition by content (applications/attachments.py `detect_type`), the size limit of the
runtime security policy, pictures that must decode whole (Pillow), OOXML packages whose ZIP
directory promises a bomb, names cleaned of paths, control and bidi characters, and downloads
served as an attachment of the detected type with nosniff.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import attachments
from applications.models import Attachment
from applications.tests.test_attachments import _content_types, _zip, jpeg_bytes, pdf_bytes, png_bytes
from documents.workbook_package import Limits, PackageRefused, inspect_package
from security import policy

SLOT = "other_evidence"  # accepts PDF, JPG, PNG, DOCX and XLSX: the widest door
DOCX_TYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_TYPE = "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def post(client, app, name, content, slot=SLOT):
    url = reverse("applications:upload", args=[app.pk, slot])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, HTTP_HX_REQUEST="true")


def refused(client, app, name, content, expected):
    response = post(client, app, name, content)
    page = response.content.decode()
    assert expected in page, page[:2000]
    assert not Attachment.objects.filter(application=app).exists()
    return page


def bomb(main_part, main_type, size=3 * 1024 * 1024):
    """A small ZIP whose main part inflates to `size` bytes of zeros: a ratio far beyond any real document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _content_types(main_part, main_type))
        package.writestr(main_part, b"<x>" + b"\0" * size + b"</x>")
    return buffer.getvalue()


def pdf_of_size(size):
    padding = size - len(pdf_bytes())
    content = pdf_bytes(padding=padding)
    content = pdf_bytes(padding=padding - (len(content) - size))  # the xref offsets grow by a digit
    assert len(content) == size
    return content


@pytest.fixture
def uploader(signed_in, media):
    return signed_in


@pytest.mark.parametrize(
    "name, content, what",
    [
        ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "Windows 可执行程序"),
        ("照片.jpg", b"<html><body><script>alert(1)</script></body></html>", "网页文件"),
        ("图.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "网页文件"),
        ("图.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "纯文本文件"),
        ("a.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "可执行程序"),
    ],
)  # fmt: skip
def test_content_that_is_not_an_accepted_type_is_refused_whatever_the_name(uploader, draft, name, content, what):
    page = refused(uploader, draft, name, content, "只接受")
    assert what in page


def test_a_file_one_byte_over_the_policys_limit_is_refused(uploader, draft, security_policy):
    security_policy(upload_max_mb=1)
    limit = policy.current().upload_max_bytes  # the limit as the attachment code reads it
    refused(uploader, draft, "大.pdf", pdf_of_size(limit + 1), "超过了每个文件 1 MB 的上限")
    assert post(uploader, draft, "刚好.pdf", pdf_of_size(limit)).status_code == 200
    assert Attachment.objects.filter(application=draft).count() == 1


@pytest.mark.parametrize(
    "name, content",
    [
        ("截断.png", png_bytes()[:-20]),
        ("截断.jpg", jpeg_bytes()[:-4]),
        ("坏头.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("坏头.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ],
)
def test_a_truncated_or_corrupt_picture_is_refused(uploader, draft, name, content):
    refused(uploader, draft, name, content, "不是完整的图片")


def test_a_picture_over_the_pixel_limit_is_refused_even_below_pillow_s_error_threshold(uploader, draft, monkeypatch):
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; the check compares the size itself.
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (4, 4), 255).save(picture, "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)
    refused(uploader, draft, "大图.png", picture.getvalue(), "不是完整的图片")


def test_whole_pictures_are_still_accepted(uploader, draft):
    for name, content in (("整.png", png_bytes()), ("整.jpg", jpeg_bytes())):
        assert post(uploader, draft, name, content).status_code == 200
    assert Attachment.objects.filter(application=draft).count() == 2


@pytest.mark.parametrize(
    "name, main_part, main_type",
    [("炸弹.docx", "word/document.xml", DOCX_TYPE), ("炸弹.xlsx", "xl/workbook.xml", XLSX_TYPE)],
)
def test_a_zip_bomb_dressed_as_a_document_is_refused_as_an_attachment(uploader, draft, name, main_part, main_type):
    refused(uploader, draft, name, bomb(main_part, main_type), "压缩炸弹")


def test_a_genuine_docx_is_still_accepted(uploader, draft):
    content = _zip({"[Content_Types].xml": _content_types("word/document.xml", DOCX_TYPE), "word/document.xml": "<w/>"})
    assert post(uploader, draft, "说明.docx", content).status_code == 200
    assert Attachment.objects.get(application=draft).file_type == "docx"


def test_a_zip_bomb_is_refused_by_the_workbook_import_before_it_is_inflated(settings):
    content = bomb("xl/workbook.xml", XLSX_TYPE)
    with pytest.raises(PackageRefused, match="压缩炸弹"):
        inspect_package(content, Limits.from_settings())


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("evil\x00.exe.pdf", "evil.exe.pdf"),
        ("发票\u202efdp.exe", "发票fdp.exe"),
        ("<script>alert(1)</script>.pdf", "script>.pdf"),
        ("长" * 400 + ".pdf", "长" * 251 + ".pdf"),
    ],
)
def test_hostile_names_never_reach_the_path_and_are_cleaned_for_display(uploader, draft, media, name, shown):
    assert post(uploader, draft, name, pdf_bytes()).status_code == 200
    attachment = Attachment.objects.get(application=draft)
    assert attachment.original_name == shown
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(media).resolve())
    assert stored.suffix == ".pdf" and stored.name != shown and ".." not in attachment.file.name
    assert "\u202e" not in attachment.original_name and "\x00" not in attachment.original_name


def test_a_pdf_html_polyglot_is_refused_and_a_pdf_is_only_ever_served_as_a_pdf_download(uploader, draft):
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n" + pdf_bytes()[9:]
    refused(uploader, draft, "<b>合同</b>.html", polyglot, "夹带了网页代码")  # see test_upload_active_content.py
    assert post(uploader, draft, "<b>合同</b>.html", pdf_bytes()).status_code == 200
    attachment = Attachment.objects.get(application=draft)
    assert attachment.file_type == "pdf" and Path(attachment.file.name).suffix == ".pdf"
    response = uploader.get(reverse("applications:download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<" not in response["Content-Disposition"].split("filename*=")[0]


def test_the_upload_message_shows_a_hostile_name_escaped(uploader, draft):
    page = post(uploader, draft, '"><img src=x onerror=alert(1)>.exe', b"MZ" + b"\0" * 100).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_content_type_detection_ignores_the_declared_type():
    upload = SimpleUploadedFile("a.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    assert attachments.detect_type(upload) == ""

"""Evidence files: recognised by content, stored safely, never destroyed, and downloadable only in scope."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import attachments
from applications.attachments import AttachmentRejected, add_attachment, remove_attachment, replace_attachment
from applications.models import Attachment, Status, Version
from tests import factories

# --- Genuine minimal files of each accepted type ---


def pdf_bytes(padding=0):
    """A one-page PDF with a correct cross-reference table; `padding` adds a comment to make it larger."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + b"x" * padding + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes():
    """A 1×1 white PNG with real chunk CRCs."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff")) + chunk(b"IEND", b"")
    )


def jpeg_bytes():
    """A 1×1 grey baseline JPEG: one quantisation table, one-code Huffman tables, one DC-only block."""

    def segment(marker, body):
        return marker + struct.pack(">H", len(body) + 2) + body

    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # a single 1-bit code for symbol 0
    return (
        b"\xff\xd8"
        + segment(b"\xff\xe0", b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(b"\xff\xdb", b"\x00" + b"\x01" * 64)
        + segment(b"\xff\xc0", b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + segment(b"\xff\xc4", b"\x00" + one_code)
        + segment(b"\xff\xc4", b"\x10" + one_code)
        + segment(b"\xff\xda", b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # DC difference 0, then end of block, padded with ones
        + b"\xff\xd9"
    )


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def _content_types(main_part, main_type):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="application/{main_type}"/>'
        "</Types>"
    )


def _root_rels(main_part):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + main_part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )


def docx_bytes(main_type="vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"):
    return _zip(
        {
            "[Content_Types].xml": _content_types("word/document.xml", main_type),
            "_rels/.rels": _root_rels("word/document.xml"),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>专利清单</w:t></w:r></w:p></w:body></w:document>"
            ),
        }
    )


def xlsx_bytes():
    return _zip(
        {
            "[Content_Types].xml": _content_types(
                "xl/workbook.xml", "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ).replace(
                "</Types>",
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
            ),
            "_rels/.rels": _root_rels("xl/workbook.xml"),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="标准清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/worksheet"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
            ),
        }
    )


GENUINE = {"pdf": pdf_bytes, "jpg": jpeg_bytes, "png": png_bytes, "docx": docx_bytes, "xlsx": xlsx_bytes}


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_path(attachment):
    return Path(attachment.file.path)


def submit(application):
    """Submitted as far as the files are concerned: the state, and a version freezing the active files."""
    application.status = Status.SUBMITTED
    application.save()
    files = [
        {"id": a.pk, "slot": a.slot, "name": a.original_name, "sha256": a.sha256}
        for a in application.attachments.active()
    ]
    Version.objects.create(
        application=application,
        number=application.versions.count() + 1,
        data=application.data,
        **factories.pinned(application.call),
        attachments=files,
        content_hash="f" * 64,
        submitted_at=timezone.now(),
        submitted_by=application.created_by,
    )


def refusal(callable_, *args):
    with pytest.raises(AttachmentRejected) as caught:
        callable_(*args)
    return caught.value.message


# --- Recognising files by content ---


@pytest.mark.parametrize("kind", GENUINE)
def test_each_accepted_type_is_recognised_by_its_content_whatever_its_name(kind):
    assert attachments.detect_type(upload("扫描件.bin", GENUINE[kind]())) == kind


@pytest.mark.parametrize("kind", GENUINE)
def test_each_accepted_type_is_stored_with_the_extension_of_its_detected_type(draft, applicant, kind):
    content = GENUINE[kind]()  # built once: a workbook's zip entries carry the second it was written
    attachment = add_attachment(draft, "other_evidence", upload(f"证明材料.{kind}", content), applicant)
    assert attachment.file_type == kind
    assert stored_path(attachment).suffix == attachments.FILE_TYPES[kind].extension
    assert stored_path(attachment).read_bytes() == content


def test_a_renamed_text_file_is_refused_as_pdf(draft, applicant):
    text = upload("承诺书.pdf", "这不是PDF，只是改了扩展名。\n".encode())
    message = refusal(add_attachment, draft, "commitment_scan", text, applicant)
    assert "只接受 PDF、JPG、PNG 文件" in message
    assert "纯文本文件" in message
    assert not Attachment.objects.exists()


def test_an_html_page_named_pdf_is_refused(draft, applicant):
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    message = refusal(add_attachment, draft, "other_evidence", upload("专利清单.pdf", page), applicant)
    assert "网页文件（HTML）" in message


def test_a_renamed_windows_program_is_refused(draft, applicant):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    message = refusal(add_attachment, draft, "other_evidence", upload("清单.docx", program), applicant)
    assert "只接受 PDF、JPG、PNG、DOCX、XLSX 文件" in message
    assert "可执行程序" in message


def test_a_zip_that_is_neither_word_nor_excel_is_refused(draft, applicant):
    archive = _zip({"readme.txt": "hello", "word/notes.txt": "not a document"})
    message = refusal(add_attachment, draft, "other_evidence", upload("清单.docx", archive), applicant)
    assert "ZIP 压缩包" in message


def test_a_word_file_with_macros_is_not_taken_for_docx(draft, applicant):
    macro_document = docx_bytes(main_type="vnd.ms-word.document.macroEnabled.main+xml")
    assert attachments.detect_type(upload("清单.docx", macro_document)) == ""
    message = refusal(add_attachment, draft, "other_evidence", upload("清单.docx", macro_document), applicant)
    assert "含宏的 Word 文档" in message


def test_a_docx_is_refused_by_the_commitment_slot_that_takes_only_pdf_and_images(draft, applicant):
    message = refusal(add_attachment, draft, "commitment_scan", upload("承诺书.docx", docx_bytes()), applicant)
    assert "承诺书" in message
    assert "只接受 PDF、JPG、PNG 文件" in message
    assert "Word 文档（DOCX）" in message


def test_an_empty_file_is_refused(draft, applicant):
    message = refusal(add_attachment, draft, "other_evidence", upload("空.pdf", b""), applicant)
    assert "空文件" in message


def test_a_file_over_the_size_limit_is_refused_and_not_stored(draft, applicant, security_policy, media_root):
    security_policy(upload_max_mb=1)
    big = upload("大文件.pdf", pdf_bytes(padding=1024 * 1024))
    message = refusal(add_attachment, draft, "other_evidence", big, applicant)
    assert "1 MB" in message
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_full_slot_tells_the_applicant_to_use_replace(draft, applicant):
    add_attachment(draft, "commitment_scan", upload("承诺书.pdf", pdf_bytes()), applicant)
    message = refusal(add_attachment, draft, "commitment_scan", upload("承诺书2.pdf", pdf_bytes()), applicant)
    assert "最多上传 1 个文件" in message
    assert "替换" in message
    assert Attachment.objects.active().count() == 1


def test_an_unknown_slot_is_refused(draft, applicant):
    message = refusal(add_attachment, draft, "no_such_slot", upload("a.pdf", pdf_bytes()), applicant)
    assert "no_such_slot" in message


def test_a_submitted_application_refuses_new_files(draft, applicant):
    submit(draft)
    message = refusal(add_attachment, draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    assert "待盟市初审" in message


def test_outside_the_application_window_files_cannot_change(draft, applicant):
    from datetime import timedelta

    from django.utils import timezone

    draft.call.applicant_closes_at = timezone.now() - timedelta(minutes=1)
    draft.call.save()
    message = refusal(add_attachment, draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    assert "不在申报时间内" in message


# --- Storage: names, hashes, nothing destroyed ---


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "承诺书（法定代表人签字）.pdf", "C:\\Users\\王\\文件.pdf"])
def test_the_stored_path_never_contains_the_original_name(draft, applicant, media_root, name):
    attachment = add_attachment(draft, "other_evidence", upload(name, pdf_bytes()), applicant)
    stem = attachment.original_name.rsplit(".", 1)[0]
    assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    assert attachment.file.name is not None
    assert stem not in attachment.file.name
    assert ".." not in attachment.file.name
    assert stored_path(attachment).resolve().is_relative_to(media_root.resolve())


def test_path_components_are_stripped_from_the_original_name():
    assert attachments.clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert attachments.clean_name("C:\\Users\\王\\文件.pdf") == "文件.pdf"
    assert attachments.clean_name("..") == "未命名文件"
    long_name = "很" * 300 + ".pdf"
    assert len(attachments.clean_name(long_name)) == 255
    assert attachments.clean_name(long_name).endswith(".pdf")


def test_the_sha256_is_that_of_the_uploaded_bytes_even_across_many_chunks(draft, applicant):
    content = pdf_bytes(padding=3 * 1024 * 1024)
    attachment = add_attachment(draft, "other_evidence", upload("大.pdf", content), applicant)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)


def test_replacing_keeps_the_old_file_on_disk_and_hides_its_row(draft, applicant):
    old = add_attachment(draft, "commitment_scan", upload("旧.pdf", pdf_bytes()), applicant)
    new = replace_attachment(old, upload("新.png", png_bytes()), applicant)
    old.refresh_from_db()
    assert old.removed_at is not None
    assert stored_path(old).read_bytes() == pdf_bytes()
    assert new.slot == "commitment_scan"
    assert list(Attachment.objects.active()) == [new]


def test_a_refused_replacement_leaves_the_old_file_in_place(draft, applicant):
    old = add_attachment(draft, "commitment_scan", upload("旧.pdf", pdf_bytes()), applicant)
    refusal(replace_attachment, old, upload("新.docx", docx_bytes()), applicant)
    old.refresh_from_db()
    assert old.removed_at is None
    assert Attachment.objects.count() == 1


def test_removing_keeps_the_file_on_disk_and_hides_the_row(draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("证明.pdf", pdf_bytes()), applicant)
    remove_attachment(attachment, applicant)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert stored_path(attachment).is_file()
    assert not Attachment.objects.active().exists()


def test_a_file_already_removed_cannot_be_removed_or_replaced_again(draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("证明.pdf", pdf_bytes()), applicant)
    stale = Attachment.objects.get(pk=attachment.pk)
    remove_attachment(attachment, applicant)
    assert "已被删除或替换" in refusal(remove_attachment, stale, applicant)
    assert "已被删除或替换" in refusal(replace_attachment, attachment, upload("b.pdf", pdf_bytes()), applicant)


def test_a_submitted_application_refuses_removal(draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("证明.pdf", pdf_bytes()), applicant)
    submit(draft)
    refusal(remove_attachment, attachment, applicant)
    attachment.refresh_from_db()
    assert attachment.removed_at is None


# --- The slot listing ---


def test_the_listing_has_every_slot_in_schema_order_with_its_active_files(draft, applicant):
    kept = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    gone = add_attachment(draft, "other_evidence", upload("b.pdf", pdf_bytes()), applicant)
    remove_attachment(gone, applicant)
    listing = attachments.slot_listing(draft)
    assert [item["slot"].key for item in listing] == [slot.key for slot in draft.call.schema.slots]
    by_key = {item["slot"].key: item for item in listing}
    assert by_key["other_evidence"]["files"] == [kept]
    assert by_key["commitment_scan"]["required"] is True
    assert by_key["other_evidence"]["required"] is False


def test_a_conditional_slot_is_required_once_its_condition_holds(draft):
    by_key = {item["slot"].key: item for item in attachments.slot_listing(draft, "innovation")}
    assert set(by_key) == {"standards_list", "platforms_list", "patents_list"}
    assert by_key["patents_list"]["required"] is False
    draft.data["patents"] = "12"
    by_key = {item["slot"].key: item for item in attachments.slot_listing(draft, "innovation")}
    assert by_key["patents_list"]["required"] is True


# --- The views ---


def upload_url(application, slot):
    return reverse("applications:upload", args=[application.pk, slot])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def owner(client, applicant):
    client.force_login(applicant)
    return client


def test_the_owner_uploads_through_a_plain_form_and_returns_to_the_page_it_came_from(owner, draft):
    section = reverse("applications:section", args=[draft.pk, "commitment"])
    response = owner.post(
        upload_url(draft, "commitment_scan"), {"file": upload("承诺书.pdf", pdf_bytes()), "next": section}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{section}#slot-commitment_scan"
    assert messages_of(response) == ["已上传“承诺书.pdf”。"]
    assert Attachment.objects.active().get().original_name == "承诺书.pdf"


def test_a_large_upload_spooled_to_disk_is_recognised_and_hashed_the_same(owner, draft, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # force Django's temporary-file upload handler
    content = docx_bytes()
    owner.post(upload_url(draft, "other_evidence"), {"file": upload("清单.docx", content)})
    attachment = Attachment.objects.active().get()
    assert attachment.file_type == "docx"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()


def test_a_next_address_on_another_site_is_ignored(owner, draft):
    response = owner.post(
        upload_url(draft, "other_evidence"),
        {"file": upload("a.pdf", pdf_bytes()), "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("applications:attachments", args=[draft.pk]) + "#slot-other_evidence"


def test_a_refused_upload_comes_back_with_the_reason(owner, draft):
    response = owner.post(upload_url(draft, "commitment_scan"), {"file": upload("承诺书.docx", docx_bytes())})
    assert response.status_code == 302
    assert "Word 文档（DOCX）" in messages_of(response)[0]
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_asks_for_one(owner, draft):
    response = owner.post(upload_url(draft, "other_evidence"), {})
    assert messages_of(response) == ["请先选择要上传的文件。"]


def test_with_htmx_the_upload_returns_just_the_slot(owner, draft):
    response = owner.post(
        upload_url(draft, "other_evidence"), {"file": upload("清单.xlsx", xlsx_bytes())}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="attachment-slot" id="slot-other_evidence">')
    assert "已上传“清单.xlsx”。" in html
    assert "<html" not in html


def test_the_slot_shows_the_file_its_size_in_kb_and_its_full_hash_behind_technical_details(owner, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("清单.pdf", pdf_bytes()), applicant)
    response = owner.get(reverse("applications:attachments", args=[draft.pk]))
    html = response.content.decode()
    start = html.index('<details class="tech-info">')
    details = html[start : html.index("</details>", start)]
    assert "<summary>技术信息</summary>" in details and f'<span class="mono hash">{attachment.sha256}</span>' in details
    assert html.count(attachment.sha256) == 1 and f"{attachment.size / 1024:.1f} KB" in html
    assert reverse("applications:download", args=[attachment.pk]) in html
    assert "选择文件" in html and "删除" in html


def test_each_slot_has_one_file_picker_whether_it_adds_or_replaces(owner, draft, applicant):
    add_attachment(draft, "other_evidence", upload("清单.pdf", pdf_bytes()), applicant)
    add_attachment(draft, "commitment_scan", upload("承诺书.pdf", pdf_bytes()), applicant)
    html = owner.get(reverse("applications:attachments", args=[draft.pk])).content.decode()
    for slot in draft.call.schema.slots:
        start = html.index(f'id="slot-{slot.key}"')
        end = html.find('class="attachment-slot"', start)
        assert html[start : end if end > 0 else None].count('type="file"') == 1, slot.key
    # the full one-file slot's picker replaces its file; a slot with room adds one
    assert reverse("applications:replace", args=[draft.pk, draft.attachments.get(slot="commitment_scan").pk]) in html
    assert "选择新文件替换“承诺书.pdf”" in html
    assert reverse("applications:upload", args=[draft.pk, "other_evidence"]) in html


def test_the_attachments_page_lists_every_slot_of_the_schema(owner, draft):
    response = owner.get(reverse("applications:attachments", args=[draft.pk]))
    assert response.status_code == 200
    assert [item["slot"].key for item in response.context["slots"]] == [s.key for s in draft.call.schema.slots]
    assert response.context["editable"] is True
    for slot in draft.call.schema.slots:
        assert f'id="slot-{slot.key}"' in response.content.decode()


@pytest.mark.parametrize("name", ["upload", "remove"])
def test_upload_and_remove_refuse_get(owner, draft, applicant, name):
    attachment = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    args = [draft.pk, "other_evidence"] if name == "upload" else [draft.pk, attachment.pk]
    assert owner.get(reverse(f"applications:{name}", args=args)).status_code == 405


def test_a_post_without_a_csrf_token_is_refused(draft, applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(upload_url(draft, "other_evidence"), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_submitted_application_refuses_upload_with_403(owner, draft):
    submit(draft)
    response = owner.post(upload_url(draft, "other_evidence"), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert "附件不能再修改" in response.content.decode()
    assert not Attachment.objects.exists()


def test_another_organisations_applicant_cannot_upload(client, draft):
    client.force_login(factories.user(Role.APPLICANT))
    response = client.post(upload_url(draft, "other_evidence"), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 404
    assert not draft.attachments.exists()


def test_an_unknown_slot_in_the_address_is_not_found(owner, draft):
    response = owner.post(upload_url(draft, "no-such-slot"), {"file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 404


def test_replace_through_the_form_keeps_the_slot_and_the_old_file(owner, draft, applicant):
    old = add_attachment(draft, "commitment_scan", upload("旧.pdf", pdf_bytes()), applicant)
    response = owner.post(
        reverse("applications:replace", args=[draft.pk, old.pk]), {"file": upload("新.jpg", jpeg_bytes())}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已将“旧.pdf”替换为“新.jpg”。"]
    new = Attachment.objects.active().get()
    assert (new.slot, new.file_type) == ("commitment_scan", "jpg")
    assert stored_path(old).is_file()


def test_remove_through_the_form_hides_the_file(owner, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("证明.pdf", pdf_bytes()), applicant)
    response = owner.post(reverse("applications:remove", args=[draft.pk, attachment.pk]))
    assert messages_of(response) == ["已删除“证明.pdf”。"]
    assert not Attachment.objects.active().exists()
    assert owner.post(reverse("applications:remove", args=[draft.pk, attachment.pk])).status_code == 404


# --- Downloads ---


def download_url(attachment):
    return reverse("applications:download", args=[attachment.pk])


def test_the_owner_downloads_a_file_as_an_attachment_with_safe_headers(owner, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("专利清单.pdf", pdf_bytes()), applicant)
    response = owner.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E4%B8%93%E5%88%A9%E6%B8%85%E5%8D%95.pdf" in response["Content-Disposition"]


def test_the_content_type_comes_from_the_content_not_the_upload(owner, draft, applicant):
    attachment = add_attachment(
        draft, "other_evidence", SimpleUploadedFile("图.pdf", png_bytes(), content_type="text/html"), applicant
    )
    assert owner.get(download_url(attachment))["Content-Type"] == "image/png"


def test_another_organisations_applicant_gets_not_found(client, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    client.force_login(factories.user(Role.APPLICANT))
    assert client.get(download_url(attachment)).status_code == 404


def test_the_lead_region_bureau_downloads_only_once_the_application_is_submitted(client, draft, applicant, bureau):
    attachment = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    client.force_login(bureau)
    assert client.get(download_url(attachment)).status_code == 404
    submit(draft)
    response = client.get(download_url(attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()


def test_a_reviewer_never_downloads_a_file_added_after_the_last_submission(client, draft, applicant, bureau):
    submit(draft)
    draft.status = Status.RETURNED
    draft.save()
    later = add_attachment(draft, "other_evidence", upload("revised.pdf", pdf_bytes()), applicant)
    client.force_login(bureau)
    assert client.get(download_url(later)).status_code == 404


def test_the_bureau_is_sent_from_the_applicants_attachment_page_to_the_review_page(client, draft, applicant, bureau):
    add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    submit(draft)
    client.force_login(bureau)
    response = client.get(reverse("applications:attachments", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reviews:detail", args=[draft.pk])


def test_a_removed_file_is_not_downloadable_from_the_draft(owner, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    remove_attachment(attachment, applicant)
    assert owner.get(download_url(attachment)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, draft, applicant):
    attachment = add_attachment(draft, "other_evidence", upload("a.pdf", pdf_bytes()), applicant)
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]

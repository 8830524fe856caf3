"""The checkers for active content (applications/active_content), each rule at its boundary, on real files.

What is refused is refused for that reason (each test asserts the finding), and the harmless neighbour of
each refused thing is accepted: an https link next to a file: link, a destination next to a script, a
chart's embedded workbook next to an OLE object, a local template next to a remote one.
"""

import io
import zipfile
import zlib
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pyhanko.pdf_utils import generic

from applications.active_content import office, pdf
from applications.attachments import AttachmentRejected, check_file
from applications.demo import demo_pdf
from applications.tests import active_content_files as files
from applications.tests.test_attachments import pdf_bytes

SCRIPT = pdf.finding("javascript").found
LAUNCH = pdf.finding("launch").found
SUBMIT = pdf.finding("submit").found
FILE_LINK = pdf.finding("uri").found
EMBEDDED = pdf.finding("embedded").found


def finding(data):
    result = pdf.inspect_pdf(data)
    return None if result is None else result.found


def object_stream(first_number, body, count=1):
    """A compressed object stream holding `body` as object `first_number`, as a PDF 1.5 writer makes one."""
    index = b"%d 0 " % first_number
    compressed = zlib.compress(index + body)
    return (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (count, len(index), len(compressed))
        + compressed
        + b"\nendstream"
    )


# --- PDFs that are accepted ---


def test_a_weasyprint_pdf_with_an_https_link_and_an_internal_link_is_accepted():
    data = files.clean_pdf()
    assert b"/ObjStm" in data  # its annotations and links sit in compressed object streams
    assert pdf.inspect_pdf(data) is None


def test_a_scan_saved_as_pdf_by_pillow_is_accepted_despite_its_out_of_range_generation_number():
    # Pillow writes "65536 f" for object 0, which a strict parser refuses; readers open it, so must we.
    pages = [Image.new("RGB", (620, 877), "white"), Image.new("L", (620, 877), 200)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=75)
    assert b"65536 f" in out.getvalue()
    assert pdf.inspect_pdf(out.getvalue()) is None


def test_the_tests_own_minimal_pdf_and_the_demo_pdf_are_accepted():
    assert pdf.inspect_pdf(pdf_bytes()) is None
    assert pdf.inspect_pdf(pdf_bytes(padding=1000)) is None
    assert pdf.inspect_pdf(demo_pdf("sealed scan")) is None


def test_an_open_action_that_is_a_page_destination_is_accepted_and_a_script_is_not():
    assert finding(files.with_open_destination()) is None
    assert finding(files.with_open_action(files.javascript)) == SCRIPT


@pytest.mark.parametrize(
    "make_action",
    [
        lambda: files.uri("https://www.miit.gov.cn/"),
        lambda: files.uri("HTTP://WWW.GOV.CN"),
        lambda: files.uri("mailto:shenbao@example.cn"),
        lambda: files.action("/Named", N=generic.NameObject("/NextPage")),
        lambda: files.action("/GoTo", D=generic.ArrayObject([generic.NumberObject(0), generic.NameObject("/Fit")])),
        lambda: files.action("/ResetForm"),
    ],
    ids=["https", "upper-case http", "mailto", "named", "goto", "reset-form"],
)
def test_harmless_link_actions_are_accepted(make_action):
    assert finding(files.with_link(make_action)) is None


def test_an_owner_password_pdf_that_opens_without_a_password_is_read_and_accepted():
    data = files.encrypted(user_password="")
    assert b"/Encrypt" in data
    assert pdf.inspect_pdf(data) is None  # its https link (an encrypted string) was decrypted and checked


def test_trailing_whitespace_after_the_end_marker_is_accepted_and_anything_else_is_not():
    assert finding(files.clean_pdf() + b"\r\n\x00\x00 \n") is None
    assert finding(files.clean_pdf() + b"PK\x03\x04") == pdf.NOT_PDF_CONTENT.found


# --- PDFs with active content ---


@pytest.mark.parametrize(
    "make_action, found",
    [
        (files.javascript, SCRIPT),
        (files.launch, LAUNCH),
        (lambda: files.action("/GoToR", F=generic.TextStringObject("\\\\10.0.0.9\\share\\a.pdf")), LAUNCH),
        (lambda: files.action("/SubmitForm", F=generic.TextStringObject("https://example.com/collect")), SUBMIT),
        (lambda: files.action("/ImportData", F=generic.TextStringObject("data.fdf")), SUBMIT),
        (lambda: files.uri("file:///C:/Windows/System32/calc.exe"), FILE_LINK),
        (lambda: files.uri("\\\\10.0.0.9\\share\\x"), FILE_LINK),
        (lambda: files.uri("javascript:app.alert(1)"), FILE_LINK),
        (lambda: files.action("/URI"), FILE_LINK),  # no target at all
    ],
    ids=["javascript", "launch", "goto-remote", "submit", "import", "file-uri", "unc-uri", "js-uri", "empty-uri"],
)
def test_actions_that_run_open_or_send_are_refused_wherever_they_hang(make_action, found):
    assert finding(files.with_open_action(make_action)) == found
    assert finding(files.with_page_action(make_action)) == found
    assert finding(files.with_link(make_action)) == found


def test_a_script_in_a_compressed_object_stream_is_found():
    data = files.with_open_action(files.javascript, compressed=True)
    assert b"app.alert" not in data and b"/JavaScript" not in data  # compressed: a byte scan sees neither
    assert finding(data) == SCRIPT


def test_hex_escaped_names_are_read_as_the_names_they_spell():
    number = files.next_object_number()
    action = b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    data = files.raw_update(files.clean_pdf(), [action], catalog_entries=b"/OpenAction %d 0 R" % number)
    assert b"/JavaScript" not in data and b"/JS " not in data  # a byte scan for the names finds nothing
    assert finding(data) == SCRIPT


def test_an_object_no_cross_reference_table_lists_is_still_inspected():
    # A reader that repairs the file (or finds the table damaged) would pick it up.
    data = files.raw_update(files.clean_pdf(), [], unlisted=[b"<< /S /JavaScript /JS (app.alert(1)) >>"])
    assert finding(data) == SCRIPT


def test_a_script_hidden_in_an_unlisted_compressed_object_stream_is_found():
    number = files.next_object_number()
    hidden = object_stream(number + 1, b"<< /S /JavaScript /JS (app.alert(1)) >>")
    data = files.raw_update(files.clean_pdf(), [], unlisted=[hidden])
    assert b"app.alert" not in data
    assert finding(data) == SCRIPT


def test_a_script_left_in_an_earlier_revision_is_refused():
    with_script = files.with_open_action(files.javascript)

    def remove_it(writer, add):
        del writer.root["/OpenAction"]
        writer.update_root()

    data = files.updated(remove_it, base=with_script)
    assert finding(data) == SCRIPT


def test_an_embedded_file_is_refused():
    assert finding(files.with_embedded_file()) == EMBEDDED
    assert finding(files.with_embedded_file(content=b"%PDF-1.4 harmless", name="附件.pdf")) == EMBEDDED


def test_an_xfa_form_is_refused():
    def add_xfa(writer, add):
        template = generic.StreamObject(stream_data=b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
        writer.root["/AcroForm"] = generic.DictionaryObject(
            {generic.NameObject("/Fields"): generic.ArrayObject(), generic.NameObject("/XFA"): add(template)}
        )
        writer.update_root()

    assert finding(files.updated(add_xfa)) == pdf.finding("xfa").found


def test_rich_media_annotations_are_refused():
    def add_rich_media(writer, add):
        page = writer.find_page_for_modification(0)[0].get_object()
        annotation = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/RichMedia"),
                generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 9, 9)]),
            }
        )
        page["/Annots"] = generic.ArrayObject([add(annotation)])
        writer.update_container(page)

    assert finding(files.updated(add_rich_media)) == pdf.finding("media").found


def test_a_pdf_that_needs_a_password_to_open_is_refused_and_an_encrypted_script_is_still_found():
    assert pdf.inspect_pdf(files.encrypted(user_password="1234")) == pdf.PASSWORD
    with_script = files.encrypted(user_password="", base=files.with_open_action(files.javascript))
    assert finding(with_script) == SCRIPT


# --- Content that is not a PDF ---


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.7\n%<script>alert(1)</script>\n" + files.clean_pdf()[9:],
        b"%PDF-1.4\nhello, this is text\n",
    ],
    ids=["html", "html-in-a-comment", "text"],
)
def test_a_pdf_header_followed_by_something_else_is_refused(data):
    assert pdf.inspect_pdf(data) == pdf.NOT_PDF_CONTENT


def test_a_binary_comment_after_the_header_is_accepted():
    # Most writers put "%âãÏÓ" on the second line so that transfer tools treat the file as binary.
    data = files.rewritten()
    assert data.split(b"\n")[1].startswith(b"%") and max(data.split(b"\n")[1]) > 127
    assert pdf.inspect_pdf(data) is None


@pytest.mark.parametrize(
    "cut", [lambda d: d[: len(d) // 2], lambda d: d[:-7], lambda d: d[:12]], ids=["half", "end marker", "header"]
)
def test_a_truncated_pdf_is_refused(cut):
    assert pdf.inspect_pdf(cut(files.clean_pdf())) == pdf.NOT_PDF


def test_a_pdf_whose_table_points_at_nothing_is_refused():
    data = files.clean_pdf()
    broken = data.replace(b"/Type /ObjStm", b"/Type /XXXXXX")  # every compressed object loses its stream
    assert pdf.inspect_pdf(broken) == pdf.NOT_PDF


# --- Bounds: a parse bomb is refused, a real file is not ---


def test_an_object_stream_that_inflates_beyond_the_limits_is_refused_and_a_normal_one_is_not():
    number = files.next_object_number()
    normal = files.raw_update(files.clean_pdf(), [object_stream(number + 1, b"null " * 1000)])
    assert pdf.inspect_pdf(normal) is None
    bomb = files.raw_update(files.clean_pdf(), [object_stream(number + 1, b"null " * (10 * 1024 * 1024))])
    assert len(bomb) < 400_000
    assert pdf.inspect_pdf(bomb) == pdf.TOO_COMPLEX


@pytest.mark.parametrize("depth, refused", [(pdf.MAX_DEPTH, False), (pdf.MAX_DEPTH + 1, True), (5000, True)])
def test_nesting_is_bounded(depth, refused):
    data = files.raw_update(files.clean_pdf(), [b"[" * depth + b"]" * depth])
    assert pdf.inspect_pdf(data) == (pdf.TOO_COMPLEX if refused else None)


def test_the_object_count_is_bounded_at_its_limit(monkeypatch):
    data = files.clean_pdf()
    inspection = pdf._Inspection(data)
    inspection.run()
    monkeypatch.setattr(pdf, "MAX_OBJECTS", inspection.objects)
    assert pdf.inspect_pdf(data) is None
    monkeypatch.setattr(pdf, "MAX_OBJECTS", inspection.objects - 1)
    assert pdf.inspect_pdf(data) == pdf.TOO_COMPLEX


def test_the_time_spent_is_bounded(monkeypatch):
    monkeypatch.setattr(pdf, "TIME_LIMIT_SECONDS", -1)
    assert pdf.inspect_pdf(files.clean_pdf()) == pdf.TOO_COMPLEX


# --- Word and Excel ---


def office_finding(data, kind="docx"):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        result = office.inspect_package(package, kind)
    return None if result is None else result.found


MACROS = office.macro_finding("docx").found
ACTIVEX = office.activex_finding("docx").found
OLE = office.ole_finding().found
EXTERNAL = office.external_finding("docx").found


@pytest.mark.parametrize(
    "data",
    [
        files.clean_docx(),
        files.docx_with_embedded_workbook(),
        files.docx_with_relationship("https://www.miit.gov.cn/", files.HYPERLINK),
        files.docx_with_relationship("\\\\server\\share\\说明.docx", files.HYPERLINK),
        files.docx_with_relationship("file:///C:/Users/王芳/Templates/公文.dotx", files.ATTACHED_TEMPLATE),
        files.docx_with_relationship("C:\\Templates\\公文.dotx", files.ATTACHED_TEMPLATE),
    ],
    ids=["plain", "chart-data", "hyperlink", "hyperlink-to-share", "local-template-url", "local-template-path"],
)
def test_word_files_without_active_content_are_accepted(data):
    assert office_finding(data) is None


def test_an_excel_file_from_openpyxl_is_accepted():
    assert office_finding(files.clean_xlsx(), "xlsx") is None


@pytest.mark.parametrize(
    "data, found",
    [
        (files.docx_with_macros(switch_content_type=False), MACROS),
        (files.docx_with_macros(switch_content_type=True), MACROS),
        (files.repack(files.clean_docx(), add={"word/VBAPROJECT.BIN": files.VBA_PROJECT}), MACROS),
        (files.repack(files.clean_docx(), add={"customUI/vbaProject.bin": files.VBA_PROJECT}), MACROS),
        (files.repack(files.clean_docx(), add={"word/embeddings/宏.docm": files.clean_docx()}), MACROS),
        (files.docx_with_activex(), ACTIVEX),
        (files.docx_with_ole_object(), OLE),
        (files.repack(files.clean_docx(), add={"word/embeddings/旧文档.doc": files.VBA_PROJECT}), OLE),
        (files.docx_with_relationship("http://10.0.0.9/t.dotm", files.ATTACHED_TEMPLATE), EXTERNAL),
        (files.docx_with_relationship("\\\\10.0.0.9\\share\\t.dotm", files.ATTACHED_TEMPLATE), EXTERNAL),
        (files.docx_with_relationship("file://10.0.0.9/share/t.dotm", files.ATTACHED_TEMPLATE), EXTERNAL),
        (files.docx_with_relationship("mhtml:http://10.0.0.9/a.html!x-usc:http://10.0.0.9/a.html", files.OLE_OBJECT),
         EXTERNAL),
        (files.docx_with_relationship("C:\\linked.xlsx", files.OLE_OBJECT), EXTERNAL),  # a linked object, any target
    ],
    ids=[
        "vba-part", "docm-declared", "vba-upper-case", "vba-elsewhere", "embedded-docm", "activex", "ole-object",
        "embedded-legacy-doc", "remote-template", "unc-template", "file-host-template", "follina", "linked-ole",
    ],
)  # fmt: skip
def test_word_files_with_active_content_are_refused(data, found):
    assert office_finding(data) == found


def test_a_macro_content_type_alone_is_refused():
    def declare(text):
        return text.replace("</Types>", files.VBA_OVERRIDE.format(part="word/vbaData.bin"))

    assert office_finding(files.repack(files.clean_docx(), content_types=declare)) == MACROS


@pytest.mark.parametrize(
    "add",
    [{"xl/vbaProject.bin": files.VBA_PROJECT}, {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}],
    ids=["vba", "excel-4-macro-sheet"],
)
def test_excel_files_with_macros_are_refused_with_excel_advice(add):
    with zipfile.ZipFile(io.BytesIO(files.repack(files.clean_xlsx(), add=add))) as package:
        result = office.inspect_package(package, "xlsx")
    assert result is not None and result.found == MACROS and "Excel" in result.advice


def test_a_relationships_part_with_a_doctype_is_treated_as_damaged():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Relationships/>'
    data = files.repack(files.clean_docx(), add={"word/_rels/extra.xml.rels": bomb})
    with zipfile.ZipFile(io.BytesIO(data)) as package, pytest.raises(ValueError):
        office.inspect_package(package, "docx")


# --- Through check_file: the message the uploader reads ---


def check(types, name, data):
    with pytest.raises(AttachmentRejected) as refused:
        check_file(SimpleNamespace(label="证明材料", types=types), SimpleUploadedFile(name, data))
    return refused.value.message


@pytest.mark.django_db
def test_a_declared_docm_is_told_about_its_macros_where_docx_is_accepted_and_about_its_type_elsewhere():
    macro = files.docx_with_macros()
    assert check(("pdf", "docx"), "清单.docx", macro) == (
        "“清单.docx”是含宏的 Word 文档（DOCM），含有宏（VBA）代码，为安全起见不予接收。"
        "请在 Word 中“另存为”不含宏的“Word 文档（*.docx）”后重新上传。"
    )
    elsewhere = check(("pdf", "jpg"), "清单.docx", macro)
    assert "只接受 PDF、JPG 文件" in elsewhere and "含宏的 Word 文档（DOCM）" in elsewhere


@pytest.mark.django_db
def test_a_damaged_relationships_part_is_reported_as_a_damaged_file():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Relationships/>'
    data = files.repack(files.clean_docx(), add={"word/_rels/extra.xml.rels": bomb})
    assert check(("docx",), "说明.docx", data) == "“说明.docx”已损坏，无法打开，请重新保存后上传。"


@pytest.mark.django_db
def test_a_pdf_refusal_names_the_file_what_was_found_and_what_to_do():
    message = check(("pdf",), "承诺书.pdf", files.with_open_action(files.javascript))
    assert message == (
        "“承诺书.pdf”含有 JavaScript 脚本（打开或操作文件时会自动运行），为安全起见不予接收。"
        "请用 PDF 阅读器“打印”为新的 PDF 文件（或重新扫描、重新导出）后上传。"
    )

"""Real files with and without active content, made by the tools that make such files.

PDFs start from one WeasyPrint document (Chinese text, an https link, a link to a heading inside it) and get
their actions from pyHanko's incremental writer, as a PDF editor would add them; the variants a writer will
not produce (a hex-escaped name, an object no cross-reference table lists) are appended by hand as a
well-formed incremental update. Word and Excel files come from python-docx and openpyxl, then have the
parts a macro-enabled or OLE-carrying Office file has added to their packages.
"""

import io
import zipfile
from functools import cache

import docx
import openpyxl
import weasyprint
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

# --- PDF ---


@cache
def clean_pdf() -> bytes:
    """A two-page PDF as WeasyPrint writes it (object streams, an xref stream) with an https link annotation
    and an internal link: links are not active content."""
    html = (
        "<html><head><style>@page { size: A4 } h1 { break-before: page }</style></head><body>"
        "<p>内蒙古自治区先进制造业集群申报材料：专利清单。</p>"
        '<p><a href="https://www.miit.gov.cn/">工业和信息化部</a>　<a href="#second">见第二页</a></p>'
        '<h1 id="second">第二页</h1><p>附：企业营业执照扫描件。</p></body></html>'
    )
    return weasyprint.HTML(string=html).write_pdf()


def updated(edit, base=None, compressed=False) -> bytes:
    """`base` (the clean PDF) with an incremental update made by pyHanko: `edit(writer, add)` changes it,
    `add(obj)` adds an object, inside a compressed object stream when `compressed`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(base or clean_pdf()))
    stream = writer.prepare_object_stream() if compressed else None

    def add(obj):
        return writer.add_object(obj, obj_stream=stream)

    edit(writer, add)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind, **entries):
    return generic.DictionaryObject(
        {generic.NameObject("/Type"): generic.NameObject("/Action"), generic.NameObject("/S"): generic.NameObject(kind)}
        | {generic.NameObject(f"/{key}"): value for key, value in entries.items()}
    )


def javascript(script="app.alert('shenbao');"):
    return action("/JavaScript", JS=generic.TextStringObject(script))


def launch():
    return action(
        "/Launch",
        F=generic.TextStringObject("C:\\Windows\\System32\\calc.exe"),
        Win=generic.DictionaryObject({generic.NameObject("/F"): generic.TextStringObject("cmd.exe")}),
    )


def uri(target):
    return action("/URI", URI=generic.TextStringObject(target))


def with_open_action(make_action, compressed=False) -> bytes:
    """The document runs `make_action()` when it is opened (/OpenAction in the catalog)."""

    def edit(writer, add):
        writer.root["/OpenAction"] = add(make_action())
        writer.update_root()

    return updated(edit, compressed=compressed)


def with_open_destination() -> bytes:
    """/OpenAction as an explicit destination: open at page 2, fit to the window. Not an action at all."""

    def edit(writer, add):
        page_ref, _resources = writer.find_page_for_modification(1)
        writer.root["/OpenAction"] = generic.ArrayObject([page_ref, generic.NameObject("/Fit")])
        writer.update_root()

    return updated(edit)


def with_page_action(make_action) -> bytes:
    """The first page runs `make_action()` when it is opened (/AA /O on the page)."""

    def edit(writer, add):
        page = writer.find_page_for_modification(0)[0].get_object()
        page["/AA"] = generic.DictionaryObject({generic.NameObject("/O"): add(make_action())})
        writer.update_container(page)

    return updated(edit)


def with_link(make_action) -> bytes:
    """A link annotation on the first page whose action is `make_action()`, as an editor's link tool adds one."""

    def edit(writer, add):
        page = writer.find_page_for_modification(0)[0].get_object()
        annotation = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Link"),
                generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 200, 80)]),
                generic.NameObject("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
                generic.NameObject("/A"): make_action(),
            }
        )
        existing = page.get("/Annots", generic.ArrayObject())
        kept = [existing.raw_get(ix) for ix in range(len(existing))]
        page["/Annots"] = generic.ArrayObject([*kept, add(annotation)])
        writer.update_container(page)

    return updated(edit)


def with_embedded_file(content=b"MZ\x90\x00" + b"\x00" * 60, name="说明.exe") -> bytes:
    """A file in the document's /EmbeddedFiles name tree, as a PDF editor's "attach file" puts it."""

    def edit(writer, add):
        data = embed.EmbeddedFileObject.from_file_data(writer, data=content, mime_type="application/octet-stream")
        embed.embed_file(writer, embed.FileSpec(file_spec_string=name, embedded_data=data))

    return updated(edit)


def rewritten(base=None, encrypt=None) -> bytes:
    """`base` (the clean PDF) copied into a new file by pyHanko's writer: a classic xref table, no object
    streams, a binary comment after the header; encrypted with `encrypt(writer)` if given."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(base or clean_pdf())))
    if encrypt:
        encrypt(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(user_password="", owner_password="shenbao-owner", base=None) -> bytes:  # noqa: S107
    """`base` (the clean PDF) encrypted by pyHanko (AES-256): with an empty user password it opens without
    asking, as an owner-password-only scan does; with a user password it asks for it."""
    return rewritten(base, encrypt=lambda writer: writer.encrypt(owner_password, user_password))


def raw_update(base, bodies, unlisted=(), catalog_entries=b"") -> bytes:
    """`base` with a hand-written incremental update: `bodies` become new objects listed in a classic xref
    table, `unlisted` are written into the file but left out of the table, `catalog_entries` are added
    to a rewritten catalog. Object numbers run from the base's /Size in the order given (listed first)."""
    reader = PdfFileReader(io.BytesIO(base))
    first = int(reader.trailer["/Size"])
    catalog = io.BytesIO()
    reader.root.write_to_stream(catalog)
    catalog_body = catalog.getvalue().rstrip()[:-2] + b" " + catalog_entries + b">>"
    root = reader.root_ref
    out = bytearray(base if base.endswith(b"\n") else base + b"\n")
    offsets = {root.idnum: len(out)}
    out += b"%d %d obj\n%s\nendobj\n" % (root.idnum, root.generation, catalog_body)
    for number, body in enumerate([*bodies, *unlisted], start=first):
        if number < first + len(bodies):
            offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    out += b"%d 1\n%010d %05d n \n" % (root.idnum, offsets[root.idnum], root.generation)
    if bodies:
        out += b"%d %d\n" % (first, len(bodies))
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(first, first + len(bodies)))
    size = first + len(bodies) + len(unlisted)
    prev = int(reader.last_startxref or 0)
    out += b"trailer\n<< /Size %d /Root %d %d R /Prev %d >>\n" % (size, root.idnum, root.generation, prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def next_object_number(base=None) -> int:
    return int(PdfFileReader(io.BytesIO(base or clean_pdf())).trailer["/Size"])


# --- Word and Excel ---

HYPERLINK = RT.HYPERLINK
OLE_OBJECT = RT.OLE_OBJECT
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def clean_docx() -> bytes:
    document = docx.Document()
    document.add_heading("专利清单", level=1)
    document.add_paragraph("一种稀土永磁材料的制备方法（ZL 2023 1 0000000.0）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def clean_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "主要产品"
    sheet.append(["产品", "产量（吨）"])
    sheet.append(["单晶硅", 1200])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_with_relationship(target, reltype, external=True) -> bytes:
    """A python-docx document whose main part has one more relationship, e.g. a hyperlink or a template."""
    document = docx.Document()
    document.add_paragraph("技术改造项目说明")
    # Word keeps the template in settings.xml.rels; python-docx exposes that part only privately.
    part = document.part._settings_part if reltype == ATTACHED_TEMPLATE else document.part
    part.relate_to(target, reltype, is_external=external)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repack(package: bytes, add=None, content_types=None) -> bytes:
    """The package rewritten member by member with `add` {name: bytes} appended and, if given,
    `content_types(text) -> text` applied to [Content_Types].xml; as a tool that edits the ZIP would."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml" and content_types:
                data = content_types(data.decode()).encode()
            target.writestr(member.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


# A VBA project as Office stores it is an OLE compound file; its signature is what a scanner looks for first.
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_OVERRIDE = '<Override PartName="/{part}" ContentType="application/vnd.ms-office.vbaProject"/></Types>'


def docx_with_macros(switch_content_type=True) -> bytes:
    """A .docx with word/vbaProject.bin, declared as Word does for a .docm, or left declared as a .docx."""

    def declare(text):
        return text.replace(WORD_MAIN, WORD_MACRO_MAIN).replace(
            "</Types>", VBA_OVERRIDE.format(part="word/vbaProject.bin")
        )

    return repack(
        clean_docx(), add={"word/vbaProject.bin": VBA_PROJECT}, content_types=declare if switch_content_type else None
    )


def xlsx_with_macros() -> bytes:
    """An openpyxl workbook with xl/vbaProject.bin added, still declaring itself a plain .xlsx."""
    return repack(clean_xlsx(), add={"xl/vbaProject.bin": VBA_PROJECT})


def docx_with_activex() -> bytes:
    control = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<ax:ocx ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistPropertyBag" '
        'xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'
    )

    def declare(text):
        declared = (
            '<Override PartName="/word/activeX/activeX1.xml" ContentType="application/vnd.ms-office.activeX+xml"/>'
        )
        return text.replace("</Types>", declared + "</Types>")

    return repack(clean_docx(), add={"word/activeX/activeX1.xml": control.encode()}, content_types=declare)


def docx_with_ole_object() -> bytes:
    return repack(clean_docx(), add={"word/embeddings/oleObject1.bin": VBA_PROJECT})


def docx_with_embedded_workbook() -> bytes:
    """A chart's data: an .xlsx inside a .docx, as Word stores it. Not an OLE object."""
    return repack(clean_docx(), add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": clean_xlsx()})

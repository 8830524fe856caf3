"""documents.content.Document → DOCX (python-docx): A4, 宋体 body, 黑体 headings, the same blocks as the PDF.

Word users on Windows get SimSun/SimHei by name; LibreOffice and WPS substitute their CJK serif and
sans. Footers carry the verification line, page X of Y as fields, and the QR code; drafts carry a
草稿 watermark in the header, the way Word's own watermark is stored.
"""

import io
import re
from copy import deepcopy
from datetime import UTC
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from documents.content import grid
from documents.qr import qr_png

SONG, HEI = "宋体", "黑体"
VML, OFFICE = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"
BODY_SIZE = Pt(12)  # 小四
HEADING_SIZES = {1: Pt(18), 2: Pt(16), 3: Pt(14), 4: Pt(12)}
TABLE_SIZE = Pt(10.5)  # 五号
CELL_MARGIN = {"top": 57, "bottom": 57, "left": 108, "right": 108}  # twips: 1 mm above and below, Word's 0.19 cm beside
MONO, CODE_SIZE = "Courier New", Pt(9)  # hex digits (附件清单's SHA-256), as the PDF's td.code
ALIGN = {"num": WD_ALIGN_PARAGRAPH.RIGHT, "centre": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def document_docx(doc):
    word = new_docx()
    _page_setup(word.sections[0], doc.landscape)
    _base_styles(word)
    _properties(word, doc)
    _footer(word.sections[0], doc)
    if doc.is_draft:
        _watermark(word.sections[0], doc.watermark)
    body_width = word.sections[0].page_width - word.sections[0].left_margin - word.sections[0].right_margin
    pending_break = False
    for block in doc.blocks:
        if block.kind == "pagebreak":
            pending_break = True
            continue
        paragraph = RENDERERS[block.kind](word, block, body_width)
        if pending_break and paragraph is not None:
            paragraph.paragraph_format.page_break_before = True
        pending_break = False
    # python-docx starts with one empty paragraph; drop it so the cover is the first page.
    first = word.element.body[0]
    if first.tag == qn("w:p") and not first.xpath(".//w:t"):
        word.element.body.remove(first)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _properties(word, doc):
    """The file's properties, as the PDF's (documents/pdf.py describe): title, subject, the platform as
    author, made at the version's submission or now. python-docx's template would say it was written
    by python-docx in 2013 on a Mac's Word; none of that is true of this file."""
    props = word.core_properties
    when = (doc.created or timezone.now()).astimezone(UTC)  # python-docx writes the digits as UTC (…Z)
    props.title, props.subject = doc.title, doc.subject
    props.author = props.last_modified_by = settings.PLATFORM_NAME
    props.created = props.modified = when
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    package = word.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's preview picture, of some other document
            package.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:  # app.xml: which program wrote the file
            application = f"<Application>{escape(settings.PLATFORM_NAME)}</Application>".encode()
            blob = re.sub(rb"<Application>[^<]*</Application>", application, rel.target_part.blob)
            package.rels.pop(rid)
            part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package)
            package.relate_to(part, RT.EXTENDED_PROPERTIES)


def _page_setup(section, landscape=False):
    if landscape:  # a wide list (评审结果汇总表, 立项清单): A4 turned, as the PDF's `page: landscape`
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(18), Mm(22)
        section.left_margin, section.right_margin = Mm(15), Mm(15)
        section.footer_distance = Mm(8)
        return
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(28)
    section.left_margin, section.right_margin = Mm(22), Mm(22)
    section.footer_distance = Mm(10)


_RUN_PROPERTIES = {}  # (east_asia, size, bold, colour) -> a <w:rPr> python-docx built once, copied after


def set_font(run_or_style, east_asia=SONG, size=None, bold=None, colour=None):
    """Latin in Times New Roman, CJK in `east_asia`. A new run gets a copy of the properties built for
    the first run like it: building them through python-docx's setters is most of a table's time."""
    element = run_or_style.element
    if isinstance(run_or_style, Run) and element.rPr is None:
        key = (east_asia, size, bold, colour)
        if key in _RUN_PROPERTIES:
            element.insert(0, deepcopy(_RUN_PROPERTIES[key]))
            return
        _set_font(run_or_style, east_asia, size, bold, colour)
        _RUN_PROPERTIES[key] = deepcopy(element.rPr)
        return
    _set_font(run_or_style, east_asia, size, bold, colour)


def _set_font(run_or_style, east_asia, size, bold, colour):
    font = run_or_style.font
    font.name = "Times New Roman"
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour


def _base_styles(word):
    normal = word.styles["Normal"]
    set_font(normal, SONG, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.25
    for level, size in HEADING_SIZES.items():
        style = word.styles[f"Heading {level}"]
        set_font(style, HEI, size, bold=True, colour=RGBColor(0, 0, 0))
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level <= 2 else 8)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        if level == 1:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph, instruction):
    """A Word field (PAGE, NUMPAGES) that the reader's word processor fills in."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _footer(section, doc):
    footer = section.footer
    table = footer.add_table(1, 2, section.page_width - section.left_margin - section.right_margin)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    table.autofit = False
    # The QR's column leaves the 16 mm picture room beside the cell's own left and right margins: at
    # exactly 20 mm LibreOffice cut off its right edge, and zbarimg could no longer read it.
    table.columns[0].width, table.columns[1].width = Mm(142), Mm(24)
    left.width, right.width = Mm(142), Mm(24)
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    line = left.paragraphs[0]
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(line.add_run(doc.footer), SONG, Pt(8.5))
    pages = left.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(pages.add_run("第 "), SONG, Pt(8.5))
    _field(pages, "PAGE")
    set_font(pages.add_run(" 页  共 "), SONG, Pt(8.5))
    _field(pages, "NUMPAGES")
    set_font(pages.add_run(" 页"), SONG, Pt(8.5))
    if doc.verify_url:
        picture = right.paragraphs[0]
        picture.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        picture.add_run().add_picture(io.BytesIO(qr_png(doc.verify_url)), width=Mm(16))
    # The first (empty) paragraph python-docx puts in every footer would add a blank line.
    footer.paragraphs[0]._p.getparent().remove(footer.paragraphs[0]._p)


def _watermark(section, text):
    """Word's own text watermark: a rotated, pale WordArt shape anchored in the header."""
    header = section.header
    paragraph = header.paragraphs[0]
    shape = (
        f'<w:r {nsdecls("w")} xmlns:v="{VML}" xmlns:o="{OFFICE}"><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:380pt;height:190pt;rotation:315;'
        "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#f2c4c4" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{HEI}&quot;;font-size:1pt" string="{text}"/>'
        "</v:shape></w:pict></w:r>"
    )
    paragraph._p.append(parse_xml(shape))


def _heading(word, block, _width):
    paragraph = word.add_paragraph(style=f"Heading {min(block.level, 4)}")
    set_font(paragraph.add_run(block.text), HEI, HEADING_SIZES[min(block.level, 4)], bold=True)
    return paragraph


def _paragraph(word, block, _width):
    paragraph = word.add_paragraph()
    style = block.style
    run = paragraph.add_run(block.text)
    if style == "indent":
        paragraph.paragraph_format.first_line_indent = Pt(24)  # 首行缩进两字
    elif style == "muted":
        set_font(run, SONG, Pt(9.5), colour=RGBColor(0x55, 0x55, 0x55))
    elif style == "heiti":
        set_font(run, HEI, BODY_SIZE, bold=True)
        paragraph.paragraph_format.keep_with_next = True
    if style in ALIGN:
        paragraph.alignment = ALIGN[style]
    return paragraph


def _cover(word, block, width):
    first = None
    for line in block.title_lines:
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(0)
        set_font(paragraph.add_run(line), HEI, Pt(26), bold=True)
        first = first or paragraph
    first.paragraph_format.space_before = Pt(110)
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(80)
    table = word.add_table(rows=len(block.items), cols=2)
    _cell_margins(table)
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Mm(80), width - Mm(80)
    for (label, value), row in zip(block.items, table.rows, strict=True):
        row.cells[0].width, row.cells[1].width = Mm(80), width - Mm(80)
        set_font(row.cells[0].paragraphs[0].add_run(label), HEI, Pt(14))
        set_font(row.cells[1].paragraphs[0].add_run(value), SONG, Pt(14))
        _border(row.cells[1], bottom=True)
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(10)
    return first


def _signatures(word, block, _width):
    first = None
    for line in block.lines:
        paragraph = word.add_paragraph(line)
        paragraph.paragraph_format.left_indent = Mm(85)
        paragraph.paragraph_format.space_before = Pt(24)
        first = first or paragraph
    return first


def _spine(word, block, width):
    note = word.add_paragraph("书脊标签：沿边框裁下，贴于装订成册的申请报告封面侧边（书脊）处（填报说明第8条）。")
    set_font(note.runs[0], SONG, Pt(9.5), colour=RGBColor(0x55, 0x55, 0x55))
    table = word.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width = Mm(20)
    cell = table.rows[0].cells[0]
    cell.width = Mm(20)
    _border(cell, top=True, bottom=True, left=True, right=True)
    _cell_margins(table)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0
    text = "\n".join(block.organisation) + "\n\n" + "\n".join(block.project)
    _text_with_breaks(paragraph, text, HEI, Pt(13))
    note.paragraph_format.page_break_before = True
    return note


def _table(word, block, width):
    columns = block.columns
    table = word.add_table(rows=len(block.rows), cols=columns)
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table)
    widths = [width * p / 100 for p in block.percent_widths] if block.widths else [width / columns] * columns
    table.autofit = False
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = int(column_width)  # the grid LibreOffice and WPS lay out by
    # The cells of the unmerged grid, read once: table.cell() walks the whole table on every call.
    cells = []
    for r, row in enumerate(table.rows):
        long_text = any(cell.style == "long" for cell in block.rows[r])
        _row_props(row, header=r < block.header_rows, may_split=long_text)
        cells.append(row.cells)
        for c, cell in enumerate(cells[-1]):
            cell.width = int(widths[c])
    for r, c, spec in grid(block):
        cell = cells[r][c]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[r + spec.rowspan - 1][c + spec.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        styles = spec.style.split()
        bold = spec.header or "heiti" in styles
        _text_with_breaks(paragraph, spec.text, HEI if bold else SONG, TABLE_SIZE, bold=bold)
        if "code" in styles:
            for run in paragraph.runs:
                run.font.name, run.font.size = MONO, CODE_SIZE
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.15
        if spec.header or "centre" in styles:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "num" in styles:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if spec.header:
            _shade(cell, "F0F0F0")
    after = word.add_paragraph()
    after.paragraph_format.space_after = Pt(2)
    return _first_paragraph_before(table)


def _first_paragraph_before(table):
    """Tables cannot take page_break_before; the break goes on an empty paragraph right before them."""
    element = OxmlElement("w:p")
    table._tbl.addprevious(element)
    paragraph = Paragraph(element, table._parent)
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _text_with_breaks(paragraph, text, east_asia, size, bold=None):
    for n, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        set_font(run, east_asia, size, bold=bold)
        if n:
            run._r.addprevious(_break_run())


def _break_run():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _row_props(row, header, may_split=False):
    """A row never breaks across pages, losing its label, unless it holds a long text (the PDF's print.css
    tr:has(td.long)): moved whole, that would leave most of a page empty behind it."""
    trpr = row._tr.get_or_add_trPr()
    if not may_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _cell_margins(table):
    """Room between a cell's text and its borders: the template's table styles give none above and below."""
    margins = OxmlElement("w:tblCellMar")
    for side, twips in CELL_MARGIN.items():
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema's order: tblCellMar comes before tblLook
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _shade(cell, fill):
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _border(cell, **sides):
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        if sides.get(side):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "6")
            edge.set(qn("w:color"), "000000")
            borders.append(edge)
    cell._tc.get_or_add_tcPr().append(borders)


RENDERERS = {
    "heading": _heading,
    "paragraph": _paragraph,
    "cover": _cover,
    "signatures": _signatures,
    "spine": _spine,
    "table": _table,
}

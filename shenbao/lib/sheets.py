"""Streamed XLSX sheets for the lists (汇总表, 推荐清单): rows are written as they come, never held.

openpyxl's write-only mode writes each row to a temporary file and stores strings inline, so memory
stays flat however many rows there are. Text is always stored as text: a cluster name typed as
"=HYPERLINK(…)" or "+86…" shows verbatim and never runs as a formula (shenbao/lib/spreadsheet_text.py).
"""

import math
import tempfile
from copy import copy
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shenbao.lib.spreadsheet_text import is_formula_like, text_value

FONT = "宋体"
TITLE_FONT = Font(name="黑体", size=16, bold=True)
NOTE_FONT = Font(name=FONT, size=10, color="555555")
HEADING_FONT = Font(name="黑体", size=10, bold=True)
BODY_FONT = Font(name=FONT, size=10)
HEADING_FILL = PatternFill("solid", fgColor="EEF2F7")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(vertical="center", wrap_text=True)
LEFT = MIDDLE = Alignment(vertical="center")  # MIDDLE: a number keeps Excel's right alignment, level with the text
NUMBER_FORMATS = {0: "0", 1: "0.0", 2: "0.00", 3: "0.000", 4: "0.0000"}

# Printing. Paper as (Excel's paperSize code, short side, long side in mm); Excel's default margins
# (0.75 inch left and right) are what the sheets keep. A column `width` characters wide is
# width × 7 + 5 pixels at 96 dpi (Excel's own rule for its default font).
PAPERS = {"A4": (Worksheet.PAPERSIZE_A4, 210, 297), "A3": (Worksheet.PAPERSIZE_A3, 297, 420)}
SIDE_MARGINS_MM = 2 * 0.75 * 25.4
MIN_SCALE = 0.6  # below this, 10 pt text prints under 6 pt: spread the width over pages instead
LINE_HEIGHT = 14  # points per line of 10 pt text, with Excel's leading
KEY_COLUMNS = 3  # 序号, 申报编号, the name: frozen, and repeated on each page when the width spans pages


def describe(workbook, title, now=None):
    """The workbook's properties as every XLSX the platform writes sets them: what it is, who made it, when."""
    properties = workbook.properties
    properties.title, properties.creator = title, settings.PLATFORM_NAME
    properties.created = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)


def column_mm(width):
    return (int(width * 7) + 5) * 25.4 / 96


def wrapped_lines(text, width):
    """Lines `text` takes in a wrapped cell `width` characters wide (a Chinese character takes two)."""
    total = 0
    for line in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)
        total += max(1, math.ceil(units / max(width - 1, 1)))
    return total


def pages_wide(widths, paper="A4", landscape=True):
    """How many pages across the columns print on.

    One page when the whole width fits at MIN_SCALE or larger; otherwise as many pages as the width
    needs at full size, the key columns repeated on each (so a row can still be found).
    """
    _, short, long = PAPERS[paper]
    printable = (long if landscape else short) - SIDE_MARGINS_MM
    total = sum(column_mm(w) for w in widths)
    if total * MIN_SCALE <= printable:
        return 1
    keys = sum(column_mm(w) for w in widths[:KEY_COLUMNS])
    return math.ceil((total - keys) / (printable - keys))


class StreamedSheet:
    """One write-only sheet, sized and set up to print, filled top to bottom.

    Every list the platform exports is made here, so they share one print set-up: the paper asked
    for, the headings repeated on every page, a print area over what was written, frozen panes under
    the headings, one page wide unless that would print too small (`pages_wide`), and the workbook's
    properties (title: the first banner; creator: the platform; created: now).
    """

    def __init__(self, title, widths, heading_row, landscape=True, paper="A4", now=None):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        self.widths = list(widths)
        self.columns = len(widths)
        self.rows = 0
        self.styles = {}  # style name -> the StyleArray of its first cell, copied onto the others
        for index, width in enumerate(widths, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        describe(self.workbook, title, now)
        setup = self.sheet.page_setup
        setup.paperSize = PAPERS[paper][0]
        setup.orientation = "landscape" if landscape else "portrait"
        pages = pages_wide(self.widths, paper, landscape)
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = pages, 0  # as many pages down as the rows need
        if pages > 1:
            self.sheet.print_title_cols = f"A:{get_column_letter(KEY_COLUMNS)}"
        # The sheet view is written before the first row, so the frozen panes are set now: below the
        # headings and right of 序号, 申报编号, 集群名称. The headings repeat on every printed page.
        self.sheet.freeze_panes = f"D{heading_row + 1}"
        self.sheet.print_title_rows = f"{heading_row}:{heading_row}"

    def append(self, cells):
        self.sheet.append(cells)
        self.rows += 1

    def banner(self, text, font=NOTE_FONT):
        """One line of text across the table's width: the title, the filters, a signature line."""
        self.sheet.merged_cells.add(f"A{self.rows + 1}:{get_column_letter(self.columns)}{self.rows + 1}")
        if self.rows == 0 and text:
            self.workbook.properties.title = str(text)  # the title line titles the file too
        self.append([self.text(text, f"banner-{font.name}-{font.sz}", font=font, alignment=LEFT)])

    def headings(self, texts):
        style = {"font": HEADING_FONT, "alignment": WRAP_CENTRE, "border": BORDER, "fill": HEADING_FILL}
        self.fit_height(texts)
        self.append([self.text(t, "heading", **style) for t in texts])

    def fit_height(self, texts):
        """Make the next row tall enough for its longest wrapped text: Excel does not grow a row a
        program wrote, so without this a two-line heading is cut and overlaps the row below."""
        lines = max((wrapped_lines(t, w) for t, w in zip(texts, self.widths, strict=False) if t), default=1)
        if lines > 1:
            self.sheet.row_dimensions[self.rows + 1].height = LINE_HEIGHT * lines + 4

    def values(self, values, places):
        """A row of the table: numbers as numbers with their decimals shown, times as times, the rest as text."""
        self.fit_height([v if isinstance(v, str) else "" for v in values])
        self.append([self.value(v, p) for v, p in zip(values, places, strict=True)])

    def value(self, value, places):
        if isinstance(value, bool) or not isinstance(value, int | Decimal | datetime):
            return self.text(value, "text", font=BODY_FONT, alignment=WRAP_LEFT, border=BORDER)
        if isinstance(value, datetime):
            style = {"number_format": "yyyy-mm-dd hh:mm", "alignment": WRAP_CENTRE}
            return self.cell(value, "datetime", font=BODY_FONT, border=BORDER, **style)
        places = 0 if isinstance(value, int) else places
        fmt = NUMBER_FORMATS.get(places, "0.00")
        return self.cell(value, f"number-{fmt}", font=BODY_FONT, border=BORDER, number_format=fmt, alignment=MIDDLE)

    def text(self, value, style_name, **style):
        """A cell that holds `value` as a string, whatever it starts with (= + - @ included)."""
        value = text_value(value)
        if is_formula_like(value):
            # Excel shows the text verbatim, and keeps it text even after someone edits the cell.
            style_name, style = f"{style_name}-quoted", {**style, "quotePrefix": True}
        cell = self.cell(value, style_name, **style)
        cell.data_type = "s"  # openpyxl would have typed "=…" as a formula
        return cell

    def cell(self, value, style_name, **style):
        # Setting a font or border on a cell hashes it against the workbook's style tables; doing
        # that once per style rather than once per cell makes a 1,000-row sheet three times faster.
        cell = WriteOnlyCell(self.sheet, value=value)
        known = self.styles.get(style_name)
        if known is None:
            for attribute, setting in style.items():
                setattr(cell, attribute, setting)
            self.styles[style_name] = copy(cell._style)
        else:
            cell._style = copy(known)
        return cell

    def save(self):
        """The workbook written to a temporary file, rewound for streaming to the browser."""
        self.sheet.print_area = f"A1:{get_column_letter(self.columns)}{max(self.rows, 1)}"
        out = tempfile.TemporaryFile()
        self.workbook.save(out)
        out.seek(0)
        return out

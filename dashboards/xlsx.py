"""A dashboard table or a chart's data as an XLSX file: numbers stay numbers, shown with their own decimals.

Built on the 汇总表's streamed sheet (shenbao/lib/sheets.py): the same fonts, borders, A4 set-up, and
text that starts with = + - @ kept as text, never run as a formula.
"""

import re
import unicodedata
from decimal import Decimal

from documents.summary import generated_at
from shenbao.lib.sheets import NOTE_FONT, TITLE_FONT, StreamedSheet

SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet name
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 40  # column widths, in characters


def places_of(value):
    """The decimals a value is shown with: those it was stored with (1402.60 → 2; a count → 0)."""
    if isinstance(value, Decimal) and value.is_finite():
        return max(0, -value.as_tuple().exponent)
    return 0


def text_width(value):
    """How many character widths a value takes in a column: a Chinese character counts two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_widths(headings, rows):
    widths = []
    for index, heading in enumerate(headings):
        longest = max([text_width(heading) / 2 + 2, *(text_width(row[index]) + 2 for row in rows)])
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, round(longest))))
    return widths


def sheet_title(title):
    return SHEET_TITLE_FORBIDDEN.sub("", title)[:SHEET_TITLE_LIMIT] or "数据"


def table_xlsx(title, headings, rows, note="", now=None):
    """The table under its title (and a line saying what it covers) as XLSX bytes, one row per row given."""
    rows = [list(row) for row in rows]
    for row in rows:
        if len(row) != len(headings):
            raise ValueError(f"每行应有 {len(headings)} 个值，得到 {len(row)} 个：{row!r}")
    sheet = StreamedSheet(sheet_title(title), column_widths(headings, rows), heading_row=3, landscape=len(headings) > 6)
    # A chart's table has one label column: keep it and the headings in view, not the 汇总表's three.
    sheet.sheet.freeze_panes = "B4"
    sheet.banner(title, TITLE_FONT)
    sheet.banner(f"{note}　生成时间：{generated_at(now)}" if note else f"生成时间：{generated_at(now)}", NOTE_FONT)
    sheet.headings(headings)
    for row in rows:
        sheet.append([sheet.value(value, places_of(value)) for value in row])
    with sheet.save() as out:
        return out.read()

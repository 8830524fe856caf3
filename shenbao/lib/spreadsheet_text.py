"""The one rule for text in every spreadsheet the platform writes: text stays text, never a formula.

Every XLSX export (the application workbook, 汇总表, 推荐清单, dashboard tables, the audit list,
the 专家评分表) writes text through this module. A cell is stored as a string (data type "s"),
so "=cmd|' /C calc'!A0" or "=HYPERLINK(…)" is never a formula in the file; when the text starts
with a character a spreadsheet would read as the start of a formula (= + - @, tab, carriage return,
or their full-width forms) the cell also gets Excel's quotePrefix, so it stays text even after
someone edits and confirms it. The text itself is not changed (no added apostrophe), so an
exported workbook reads back exactly and an import sees what the applicant typed. Numbers are
written as numbers elsewhere and are not text: a -5 in a number cell stays -5.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# OWASP's CSV-injection list plus the full-width forms Chinese input methods produce.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
EXCEL_MAX_TEXT = 32_767  # Excel's limit on the characters of one cell


def text_value(value) -> str:
    """`value` as the string a cell can hold: XML-illegal control characters dropped, Excel's length kept."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))[:EXCEL_MAX_TEXT]


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take `text` for a formula if it were typed into a cell."""
    return text.startswith(FORMULA_STARTS)


def put_text(cell, value):
    """Write `value` into an openpyxl cell as text: a string cell, quote-prefixed when it looks like a formula."""
    text = text_value(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise type "=…" as a formula
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell

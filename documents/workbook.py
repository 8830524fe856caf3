"""An application as an Excel workbook: one sheet per section, laid out like the guide's tables.

Numbers are real numbers with their decimals shown ("0.00"), dates real dates; what is not a valid
number (无, or an entry still to be corrected) stays text exactly as stored. Text is always written
as text, so an applicant's "=…" can never become a formula. The structure is protected: labels
and system-made cells are locked, the white value cells are not. A very hidden sheet carries the
identity (call, schema, application, list sizes, layout digest) the import checks.
"""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from calls.schema.report import derived_value
from calls.schema.values import Invalid, canonical
from documents.workbook_layout import (
    ACCEPTED,
    IDENTITY_SHEET,
    TEMPLATE_MARK,
    capacities_for,
    fingerprint,
    layout,
    options,
)
from shenbao.lib.sheets import describe, wrapped_lines
from shenbao.lib.spreadsheet_text import put_text

FILLED, BLANK = "filled", "blank"
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_LABEL_FILL = PatternFill("solid", fgColor="F3F6FA")
_DERIVED_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="center")
_UNLOCKED = Protection(locked=False)
_INLINE_LIST_LIMIT = 255  # Excel's limit on a data-validation list typed into the rule itself


def export_workbook(record, blank=False) -> bytes:
    """The record (a draft or a frozen version) as XLSX; `blank=True` gives the empty template."""
    schema = record.schema
    data = {} if blank else record.data
    capacities = capacities_for(schema, data, len(record.context.regions))
    sheets = layout(schema, capacities)
    workbook = Workbook()
    workbook.remove(workbook.active)
    identity = workbook.create_sheet(IDENTITY_SHEET)
    lists = _ListColumn(identity)
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(sheet.title), sheet, record, data, lists)
    _write_identity(identity, record, capacities, fingerprint(schema, sheets), blank)
    workbook.move_sheet(identity, offset=len(sheets))
    workbook.active = 0
    workbook.security = WorkbookProtection(lockStructure=True)  # no renamed, moved or added sheets
    describe(workbook, f"{record.application.number} {schema.title}")
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def blank_workbook(record) -> bytes:
    return export_workbook(record, blank=True)


def _write_sheet(ws, sheet, record, data, lists):
    widths = [46 if n == 1 else (60 if sheet.width == 2 else 16) for n in range(1, sheet.width + 1)]
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    heights = dict(sheet.heights)
    validations = {}
    for item in sheet.items:
        cell = ws.cell(item.row, item.col)
        if item.span > 1:
            ws.merge_cells(
                start_row=item.row, start_column=item.col, end_row=item.row, end_column=item.col + item.span - 1
            )
        if item.place is None:
            _write_label(ws, cell, item)
        else:
            _write_place(ws, cell, item.place, record, data, lists, validations)
            for n in range(item.col + 1, item.col + item.span):
                ws.cell(item.row, n).border = _BORDER
        if isinstance(cell.value, str) and item.role != "title":
            # Excel does not grow a row for wrapped text written by a program; estimate it instead.
            lines = wrapped_lines(cell.value, int(sum(widths[item.col - 1 : item.col - 1 + item.span])))
            heights[item.row] = max(heights.get(item.row, 0), 15 * lines + 3)
    for row, height in heights.items():
        ws.row_dimensions[row].height = min(height, 400)
    ws.freeze_panes = "B3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column or row is harmless; inserting is not
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape" if sheet.width > 2 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:2"  # the sheet's title and column headings (the frozen rows) head every page
    ws.print_area = f"A1:{get_column_letter(sheet.width)}{ws.max_row}"


def _write_place(ws, cell, place, record, data, lists, validations):
    if place.is_derived:
        value = derived_value(place.cell.field, data, record.context, record.schema)
        put_text(cell, str(value or ""))
        cell.fill, cell.font = _DERIVED_FILL, Font(color="595959")
    else:
        _write_value(cell, place, data, record.context.regions)
        cell.protection = _UNLOCKED
        choices = options(place, record.context.regions)
        if choices:
            _validation(ws, validations, [label for _, label in choices], lists).add(cell.coordinate)
    cell.border, cell.alignment = _BORDER, _WRAP


def _write_label(ws, cell, item):
    if item.text:
        put_text(cell, item.text)
    elif item.role != "header":
        return  # an empty header cell still gets the header's fill and border
    if item.role == "title":
        cell.font, cell.alignment = Font(bold=True, size=14), Alignment(vertical="center")
        ws.row_dimensions[item.row].height = 24
    elif item.role == "note":
        cell.font, cell.alignment = Font(size=9, color="595959"), Alignment(wrap_text=True, vertical="top")
    elif item.role == "heading":
        cell.font, cell.alignment = Font(bold=True), _WRAP
    else:
        header = item.role == "header"
        cell.font = Font(bold=header)
        cell.fill = _HEADER_FILL if header else _LABEL_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if header else None)
        cell.border = _BORDER
        for n in range(item.col + 1, item.col + item.span):
            ws.cell(item.row, n).border = _BORDER


def stored_value(place, data):
    """The stored value one place shows: the cell's value, or one item (and column) of a list."""
    value = data.get(place.cell.name)
    if place.index is None:
        return value if isinstance(value, str) else ""
    items = value if isinstance(value, list) else []
    item = items[place.index] if place.index < len(items) else ""
    if place.column is not None:
        return item.get(place.column["key"], "") if isinstance(item, dict) else ""
    return item if isinstance(item, str) else ""


def _write_value(cell, place, data, regions):
    text = stored_value(place, data)
    kind = place.cell.kind if place.column is None else "text"
    cell.alignment = _WRAP
    if not text:
        return
    if kind in {"decimal", "ratio", "growth", "count"}:
        number = _number(place.cell, text)
        if number is not None:
            cell.value = number
            places = place.cell.field.places
            cell.number_format = "0" if kind == "count" else ("0." + "0" * places if places else "0")
            return
    elif kind == "date" and _is_iso_date(text):
        cell.value = datetime.date.fromisoformat(text)
        cell.number_format = "yyyy-mm-dd"
        return
    elif kind == "accept" and text == "1":
        text = ACCEPTED
    elif kind == "choice":
        text = dict(place.cell.field.choices).get(text, text)
    elif kind == "regions":
        text = regions.get(text, text)
    put_text(cell, text)


def _number(cell, text):
    """The stored text as an Excel number, or None when it is 无 or not (yet) a valid number."""
    try:
        if canonical(cell, text) != text:
            return None
    except Invalid:
        return None
    # Within ±1e12 and 2 decimals a float keeps every digit, and its repr gives the same text back.
    return int(text) if cell.kind == "count" else float(Decimal(text))


def _is_iso_date(text):
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


class _ListColumn:
    """Long dropdown lists go into a column of the hidden sheet; short ones are typed into the rule."""

    def __init__(self, ws):
        self.ws, self.column = ws, 4

    def reference(self, labels):
        letter = get_column_letter(self.column)
        for n, label in enumerate(labels, 1):
            put_text(self.ws.cell(n, self.column), label)
        self.column += 1
        return f"'{IDENTITY_SHEET}'!${letter}$1:${letter}${len(labels)}"


def _validation(ws, validations, labels, lists):
    key = tuple(labels)
    if key not in validations:
        inline = ",".join(labels)
        fits = len(inline) + 2 <= _INLINE_LIST_LIMIT and not any("," in x or '"' in x for x in labels)
        validation = DataValidation(
            type="list",
            formula1=f'"{inline}"' if fits else lists.reference(labels),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error="只能填写下拉列表中的选项。",
        )
        ws.add_data_validation(validation)
        validations[key] = validation
    return validations[key]


def _write_identity(ws, record, capacities, digest, blank):
    application = record.application
    call = application.call
    rows = [
        ("template", TEMPLATE_MARK),
        ("说明", "本工作表由申报系统使用，请勿修改。"),
        ("schema_code", record.schema.code),
        ("schema_version", record.schema.version),
        ("call_code", call.code),
        ("call_year", str(call.year)),
        ("application", application.number),
        ("kind", BLANK if blank else FILLED),
        ("source", record.version_label),
        # A submitted version's content is old news to the draft: stamped 0, every cell that differs
        # from today's draft comes back as a conflict instead of silently reverting later edits.
        ("edit_version", str(application.edit_version if record.is_draft else 0)),
        ("layout", digest),
    ]
    rows += [(f"capacity:{name}", str(n)) for name, n in sorted(capacities.items())]
    for n, (key, value) in enumerate(rows, 1):
        put_text(ws.cell(n, 1), key)
        put_text(ws.cell(n, 2), value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True

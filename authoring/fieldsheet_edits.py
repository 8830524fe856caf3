"""Editing a 字段表 the way an official does in Excel — find a row by its code, change a cell, insert a row
— for the demo data's 2025 call and the tests that go through the authoring path."""

from io import BytesIO

from openpyxl import load_workbook


class FieldsheetEdit:
    """An exported 字段表 opened for changes; `content()` gives the edited workbook back."""

    def __init__(self, content: bytes):
        self.book = load_workbook(BytesIO(content))

    def _headings(self, sheet):
        ws = self.book[sheet]
        return ws, {cell.value: cell.column for cell in ws[1] if cell.value}

    def row_of(self, sheet, key_heading, key):
        ws, columns = self._headings(sheet)
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, columns[key_heading]).value == key:
                return row
        raise KeyError(f"{sheet}: {key_heading}={key}")

    def set(self, sheet, key_heading, key, heading, value):
        """The cell under `heading` in the row whose `key_heading` column holds `key`."""
        ws, columns = self._headings(sheet)
        ws.cell(self.row_of(sheet, key_heading, key), columns[heading]).value = value

    def insert_after(self, sheet, key_heading, key, values: dict):
        """A new row below the one whose `key_heading` column holds `key`, with `values` by heading."""
        ws, columns = self._headings(sheet)
        row = self.row_of(sheet, key_heading, key) + 1
        ws.insert_rows(row)
        for heading, value in values.items():
            ws.cell(row, columns[heading]).value = value

    def content(self) -> bytes:
        out = BytesIO()
        self.book.save(out)
        return out.getvalue()

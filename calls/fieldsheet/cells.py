"""Reading a 字段表's tables: each cell parsed into the shape the schema uses, each problem named by place.

Lenient in what people type (spaces around values, full-width digits, 、/，/newlines between list
items, 是/否 or TRUE/FALSE), strict in what it accepts: a value that cannot be read is reported with
its sheet, row and column heading, never guessed at. An empty cell is "not set".
"""

import datetime
import re
from dataclasses import dataclass

from calls.fieldsheet.format import IDENTITY, REMARK, REQUIRED_SHEETS, SHEET_COLUMNS, YES, where

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
SEPARATORS = re.compile(r"[、，,；;\r\n]+")
KEY_VALUE = re.compile(r"\s*[=＝]\s*")
INTEGER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")
TRUE_WORDS = {YES, "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗"}
MAX_ROWS = 5000  # far beyond any call; a sheet longer than this is not a 字段表 someone typed


class Problems(list):
    """Every problem found, each a sentence naming where it is and what to fix."""

    def add(self, sheet, message, row=None, ident="", column=None):
        self.append(f"{where(sheet, row, ident, column)}：{message}")


@dataclass
class Row:
    """One data row of a table sheet: its non-empty values by column heading."""

    sheet: str
    row_number: int
    values: dict
    problems: Problems

    @property
    def ident(self):
        heading = IDENTITY.get(self.sheet)
        value = self.values.get(heading) if heading else None
        return f"{heading} {as_text(value)}" if value is not None else ""

    def fail(self, column, message):
        self.problems.add(self.sheet, message, self.row_number, self.ident, column)

    def has(self, column):
        return column in self.values

    def text(self, column, required=False):
        value = self.values.get(column)
        if value is None:
            if required:
                self.fail(column, "不能为空。")
            return None
        return as_text(value)

    def integer(self, column, required=False, minimum=0):
        value = self.values.get(column)
        if value is None:
            return self.text(column, required)  # None, reported when required
        number = as_integer(value)
        if number is None:
            self.fail(column, f"“{as_text(value)}”不是整数。")
        elif number < minimum:
            self.fail(column, f"应不小于 {minimum}，现为 {number}。")
            return None
        return number

    def number(self, column):
        """A number when it reads as one, else the text as typed (a date limit such as {year}-01-01)."""
        value = self.values.get(column)
        return None if value is None else as_scalar(value)

    def flag(self, column):
        value = self.values.get(column)
        if value is None:
            return None
        answer = as_flag(value)
        if answer is None:
            self.fail(column, f"“{as_text(value)}”应为 是 或 否。")
        return answer

    def items(self, column):
        """A list typed as 、/，/newline-separated items."""
        value = self.values.get(column)
        return [] if value is None else split_items(as_text(value))

    def lines(self, column):
        value = self.values.get(column)
        return [] if value is None else split_lines(as_text(value))

    def key_values(self, column):
        """`键=值` lines as (key, value) pairs; a line without = is reported and left out."""
        pairs = []
        for line in self.lines(column):
            parts = KEY_VALUE.split(line, maxsplit=1)
            if len(parts) != 2 or not parts[0]:
                self.fail(column, f"“{line}”应写成“键=值”。")
            else:
                pairs.append((parts[0], parts[1]))
        return pairs

    def pick(self, column, names, what, required=False):
        """The code of a value typed as its Chinese name or as the code itself."""
        value = self.text(column, required)
        return None if value is None else pick(value, names, what, lambda m: self.fail(column, m))


def pick(value, names, what, fail):
    if value in names:
        return value
    by_name = {name: code for code, name in names.items()}
    if value in by_name:
        return by_name[value]
    fail(f"“{value}”不是可用的{what}，应为 {'、'.join(names.values())} 之一。")
    return None


def as_text(value):
    if isinstance(value, bool):
        return YES if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).translate(FULL_WIDTH).strip()
    return int(text) if INTEGER.fullmatch(text) else None


def as_scalar(value):
    """A number (int or float, as YAML would read it) when `value` reads as one, else its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = as_text(value)
    number = text.translate(FULL_WIDTH).strip()
    if INTEGER.fullmatch(number):
        return int(number)
    if DECIMAL.fullmatch(number):
        return float(number)
    return text


def as_flag(value):
    if isinstance(value, bool):
        return value
    word = as_text(value).strip().lower()
    return True if word in TRUE_WORDS else (False if word in FALSE_WORDS else None)


def split_items(text):
    return [item.strip() for item in SEPARATORS.split(text) if item.strip()]


def split_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def cell_value(cell):
    """What a cell holds, trimmed; None when empty. Dates read as YYYY-MM-DD text."""
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def read_table(workbook, name, problems):
    """The data rows of sheet `name`, or None when the workbook has no such sheet."""
    if name not in workbook.sheetnames:
        if name in REQUIRED_SHEETS:
            problems.add(name, "缺少这张工作表。请在下载的字段表上修改，不要删除或改名工作表。")
        return None
    ws = workbook[name]
    headings = _headings(ws, name, problems)
    rows = []
    for cells in ws.iter_rows(min_row=2):
        values = {}
        for cell in cells:
            heading = headings.get(cell.column)
            if heading and not _is_formula(cell, name, heading, problems):
                value = cell_value(cell)
                if value is not None:
                    values[heading] = value
        if values:
            rows.append(Row(name, cells[0].row, values, problems))
        if len(rows) > MAX_ROWS:
            problems.add(name, f"有超过 {MAX_ROWS} 行内容，不像是字段表。")
            return []
    return rows


def _headings(ws, name, problems):
    """Column number -> heading, from row 1; unknown or missing headings are reported."""
    known = {c.heading for c in SHEET_COLUMNS[name]}
    headings: dict[int, str] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        text = as_text(cell.value).strip() if cell.value is not None else ""
        if not text or text == REMARK:
            continue
        if text not in known:
            problems.add(name, f"列标题“{text}”无法识别，请改回下载时的列标题，或删除这一列。", 1)
        elif text in headings.values():
            problems.add(name, f"列标题“{text}”出现了两次。", 1)
        else:
            headings[cell.column] = text
    for column in SHEET_COLUMNS[name]:
        if column.required and column.heading not in headings.values():
            problems.add(name, f"缺少“{column.heading}”列。", 1)
    return headings


def _is_formula(cell, sheet, heading, problems):
    if cell.data_type == "f":
        formula = getattr(cell.value, "text", cell.value)  # an array formula keeps its text apart
        problems.add(
            sheet,
            f"单元格 {cell.coordinate} 是公式（{formula}）。字段表只接受直接填写的值，请把公式改为它的结果。",
            cell.row,
            column=heading,
        )
        return True
    if cell.data_type == "e":
        problems.add(
            sheet, f"单元格 {cell.coordinate} 是错误值 {cell.value}，请改为要填写的值。", cell.row, column=heading
        )
        return True
    return False

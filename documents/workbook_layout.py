"""Where every cell of an application sits in its Excel workbook: one layout for export and import.

Positions are derived from the schema alone, plus how many rows each list (平台名称, 年度总体目标,
绩效指标, 参与盟市) was given when the workbook was made. The export writes those row counts into the
hidden identity sheet; the import rebuilds the same layout from them, so an uploaded file can only
ever be read at positions that belong to known cells.
"""

import hashlib
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from calls.schema.model import SEP, Cell, Field, Schema, with_unit

IDENTITY_SHEET = "_shenbao"
TEMPLATE_MARK = "shenbao-application-workbook/1"
MAX_ITEMS = 200  # calls.schema.values refuses longer lists
ACCEPTED = "已确认"
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Place:
    """Where one value is typed: a cell, or one item (and column) of a list cell."""

    sheet: str
    row: int
    col: int
    cell: Cell
    index: int | None = None
    column: dict | None = None  # the rows-field column (绩效指标) this place holds

    @property
    def coordinate(self):
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def is_derived(self):
        return self.cell.field.type == "derived"

    @property
    def label(self):
        """The 填报项 named in the import report."""
        field, n = self.cell.field, (self.index or 0) + 1
        if self.column is not None:
            return f"{field.label}第{n}行“{self.column['label']}”"
        if self.cell.kind == "names":
            return f"{field.message_label}（第{n}个名称）"
        if self.index is not None:
            return f"{field.label}（第{n}项）"
        return self.cell.label


@dataclass(frozen=True)
class Item:
    """One thing written on a sheet: a title, note, heading, header, label, or a value place."""

    row: int
    col: int
    role: str  # title, note, heading, header, label, value
    text: str = ""
    span: int = 1  # columns merged to the right, this one included
    place: Place | None = None


@dataclass
class SheetLayout:
    title: str
    section: str
    width: int  # columns used, the label column included
    items: list
    heights: dict  # row -> height in points for long-text rows

    @property
    def places(self):
        return [i.place for i in self.items if i.place is not None]

    @property
    def max_row(self):
        return max(i.row for i in self.items)

    def covered(self):
        """Every (row, col) the template writes or merges: content there is the template's own."""
        return {(i.row, c) for i in self.items for c in range(i.col, i.col + i.span)}


def sheet_title(heading, taken):
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    title = _FORBIDDEN_IN_TITLE.sub("-", heading).strip("'")[:31] or "Sheet"
    base, n = title, 2
    while title in taken or title == IDENTITY_SHEET:
        suffix = f"（{n}）"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def list_cells(schema):
    return [c for c in schema.cells.values() if c.is_list]


def capacities_for(schema, data, region_count):
    """How many rows each list gets: what is there plus room to add offline, never above MAX_ITEMS."""
    spare = {"names": (5, 10), "text_list": (3, 5), "rows": (5, 12), "regions": (0, region_count)}
    capacities = {}
    for cell in list_cells(schema):
        extra, least = spare[cell.kind]
        filled = len(data.get(cell.name) or [])
        capacities[cell.name] = min(MAX_ITEMS, max(filled + extra, least, cell.field.min_items))
    return capacities


def layout(schema: Schema, capacities: dict):
    """One SheetLayout per schema section, in the guide's order."""
    taken, sheets = set(), []
    for section in schema.sections:
        title = sheet_title(section.heading, taken)
        taken.add(title)
        sheets.append(_SheetBuilder(schema, section, title, capacities).build())
    return sheets


def fingerprint(schema, sheets):
    """A digest of every position → cell, so a workbook made from a different layout is recognised."""
    lines = [f"{schema.code}|{schema.version}|{schema.year}"]
    for sheet in sheets:
        for p in sheet.places:
            column = p.column["key"] if p.column else ""
            lines.append(f"{sheet.title}!{p.coordinate}={p.cell.name}#{p.index}:{column}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def options(place, regions):
    """The allowed answers of a dropdown cell as (stored value, shown label), or None for free input."""
    cell = place.cell
    if place.column is not None:
        column = place.column
        if column["type"] != "choice":
            return None
        choices = column["choices"]
        if isinstance(choices, dict):  # 二级指标: every child of every 一级, the rules check the pairing
            choices = list(dict.fromkeys(c for children in choices.values() for c in children))
        return [(c, c) for c in choices]
    if cell.kind == "choice":
        return list(cell.field.choices)
    if cell.kind == "accept":
        return [("1", ACCEPTED)]
    if cell.kind == "regions":
        return sorted(regions.items())
    return None


def _width(schema, section):
    width = 2
    for f in section.fields:
        if f.type == "matrix":
            width = max(width, 1 + len(schema.years) * len(f.columns))
        elif f.per_year:
            width = max(width, 1 + len(schema.years))
        elif f.type == "rows":
            width = max(width, 1 + len(f.columns))
    return width


class _SheetBuilder:
    def __init__(self, schema, section, title, capacities):
        self.schema, self.section, self.title = schema, section, title
        self.capacities = capacities
        self.width = _width(schema, section)
        self.items, self.heights, self.row = [], {}, 1

    def build(self):
        self.put(1, "title", self.section.heading, span=self.width)
        self.row = 2
        note = "白色单元格填写，灰色单元格由系统生成、不导入。数据有小数时保留2位小数；无相关情况时填写“无”。"
        self.put(1, "note", f"{self.section.intro}\n{note}" if self.section.intro else note, span=self.width)
        self.heights[self.row] = 45 if self.section.intro else 30
        self.row = 4
        fields, group, i = list(self.section.fields), "", 0
        while i < len(fields):
            f = fields[i]
            if f.group and f.group != group:
                self.heading(f.group)
            group = f.group
            if f.per_year and f.type != "matrix":
                run = [f]
                while i + len(run) < len(fields) and self._joins(fields[i + len(run)], f):
                    run.append(fields[i + len(run)])
                self.year_table(run)
                i += len(run)
                continue
            special = {
                "accept": self.accept,
                "matrix": self.matrix,
                "named_count": self.named_count,
                "text_list": self.text_list,
                "regions": self.regions,
                "rows": self.rows,
                "text_group": self.text_group,
            }
            special.get(f.type, self.simple)(f)
            i += 1
        return SheetLayout(self.title, self.section.key, self.width, self.items, self.heights)

    @staticmethod
    def _joins(candidate, first):
        return candidate.per_year and candidate.type != "matrix" and candidate.group == first.group

    # --- writing helpers ---

    def put(self, col, role, text="", span=1, place=None):
        self.items.append(Item(self.row, col, role, text, span, place))

    def value(self, col, cell, span=1, index=None, column=None):
        self.put(col, "value", span=span, place=Place(self.title, self.row, col, cell, index, column))

    def heading(self, text):
        self.put(1, "heading", text, span=self.width)
        self.row += 1

    def labelled(self, label, cell, index=None, height=None):
        self.put(1, "label", label)
        self.value(2, cell, span=self.width - 1, index=index)
        if height:
            self.heights[self.row] = height
        self.row += 1

    # --- one method per field type that is not a plain label + value row ---

    def simple(self, f: Field):
        height = 90 if f.type == "longtext" else None
        self.labelled(with_unit(f.message_label, f.unit), f.cells[0], height=height)

    def accept(self, f: Field):
        commitment = self.schema.commitment
        if commitment.get("heading", self.section.title) != self.section.title:
            self.heading(commitment["heading"])
        lines = [commitment.get("intro", "")]
        lines += [f"{n}. {text}" for n, text in enumerate(commitment.get("items", ()), 1)]
        lines.append(commitment.get("closing", ""))
        self.put(1, "note", "\n".join(line for line in lines if line), span=self.width)
        self.heights[self.row] = 20 * len(lines)
        self.row += 1
        self.labelled(f.label, f.cells[0], height=45)

    def year_table(self, run):
        self.put(1, "header", run[0].year_heading or "指标")
        for n, year in enumerate(self.schema.years):
            self.put(2 + n, "header", f"{year}年")
        self.row += 1
        for f in run:
            self.put(1, "label", with_unit(f.label, f.unit))
            for cell in f.cells:
                self.value(2 + self.schema.years.index(cell.year), cell)
            self.row += 1

    def matrix(self, f: Field):
        self.heading(with_unit(f.label, f.unit))
        span = len(f.columns)
        self.put(1, "header", f.row_heading)
        for n, year in enumerate(self.schema.years):
            self.put(2 + n * span, "header", f"{year}年", span=span)
        self.row += 1
        self.put(1, "header")
        for n, _ in enumerate(self.schema.years):
            for m, (_, column_label) in enumerate(f.columns):
                self.put(2 + n * span + m, "header", column_label)
        self.row += 1
        for row_key, row_label in f.rows:
            self.put(1, "label", row_label)
            for n, year in enumerate(self.schema.years):
                for m, (column_key, _) in enumerate(f.columns):
                    self.value(2 + n * span + m, f.cell(SEP.join([str(year), row_key, column_key])))
            self.row += 1

    def named_count(self, f: Field):
        count, names = f.cells
        self.heading(f.label)
        self.labelled(with_unit("数量", f.unit), count)
        for n in range(self.capacities[names.name]):
            self.labelled(f"名称{n + 1}", names, index=n)

    def text_list(self, f: Field):
        (cell,) = f.cells
        self.heading(f"{f.label}（每行一项{f'，每项{f.max_chars}字以内' if f.max_chars else ''}）")
        for n in range(self.capacities[cell.name]):
            self.labelled(f"{f.item_label or '第'}{n + 1}", cell, index=n)

    def regions(self, f: Field):
        (cell,) = f.cells
        self.heading(f"{f.label}（选填，每行一个）")
        for n in range(self.capacities[cell.name]):
            self.labelled(f"参与盟市{n + 1}", cell, index=n)

    def rows(self, f: Field):
        (cell,) = f.cells
        self.heading(f"{f.label}（每行一项；符号选“定性”时指标值填文字描述）")
        self.put(1, "header", "序号")
        for m, column in enumerate(f.columns):
            self.put(2 + m, "header", column["label"])
        self.row += 1
        for n in range(self.capacities[cell.name]):
            self.put(1, "label", str(n + 1))
            for m, column in enumerate(f.columns):
                self.value(2 + m, cell, index=n, column=column)
            self.row += 1

    def text_group(self, f: Field):
        self.heading(f.label)
        for cell, (_, title, guidance) in zip(f.cells, f.parts, strict=True):
            self.labelled(f"{title}\n{guidance}" if guidance else title, cell, height=180)

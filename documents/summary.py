"""汇总表: one row per application with the key figures its call schema names, as XLSX and PDF.

Each row is read from the application's latest submitted version (a draft's own data for a draft),
fetched by one subquery and iterated in chunks, so 1,000 applications cost the same few queries as
ten. The XLSX is streamed row by row; the PDF is laid out whole by WeasyPrint.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import groupby

from django.db.models import Case, F, JSONField, When
from django.utils import timezone

from applications.models import Status
from documents.pdf import render_pdf
from shenbao.lib.sheets import NOTE_FONT, TITLE_FONT, StreamedSheet

CHUNK_SIZE = 100  # rows decoded at a time: what bounds the memory of a streamed export


@dataclass(frozen=True)
class Column:
    heading: str
    width: int = 12  # characters in the XLSX
    places: int | None = None  # decimals shown for a number; None for text
    section: str = ""  # the schema section heading a figure belongs to
    cell: object = None  # the schema cell a figure is read from


def fixed_columns(schema):
    """序号, 申报编号, the application's name and 申报单位 as this call calls them, 牵头盟市, 状态, 申报时间."""
    return (
        Column("序号", 6, places=0),
        Column("申报编号", 21),
        Column(schema.title_label, 24),
        Column("牵头盟市", 11),
        Column(schema.source_label("organisation", "申报单位"), 24),
        Column("状态", 11),
        Column("申报时间", 16),
    )


FIXED_COUNT = 7  # len(fixed_columns(schema)) for every schema


def summary_columns(schema):
    """The fixed columns, then one per key figure the schema names, with its unit in the heading."""
    figures = []
    for cell, heading in schema.summary_cells():
        numeric = cell.is_numeric
        places = (0 if cell.kind == "count" else cell.field.places) if numeric else None
        section = schema.section(cell.section).heading
        figures.append(Column(heading, 13 if numeric else 24, places, section, cell))
    return fixed_columns(schema) + tuple(figures)


def summary_source(applications):
    """`applications` in 申报编号 order as plain values, each with the data of the record it shows."""
    shown = Case(When(status=Status.DRAFT, then=F("data")), default=F("latest_version_data"), output_field=JSONField())
    return (
        applications.with_latest_version("data")
        .order_by("number")
        .annotate(shown_data=shown)
        .values("number", "status", "submitted_at", "lead_region__name", "organisation__name", "shown_data")
    )


def figure(cell, raw):
    """A stored value as the summary shows it: a number, a choice's label, or the text as typed."""
    if raw in (None, "", []):
        return None
    if cell.is_numeric:
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return str(raw)  # 无, or a draft's value still being typed
        if not number.is_finite():
            return str(raw)
        return int(number) if cell.kind == "count" and number == number.to_integral_value() else number
    if cell.field.choices:
        return dict(cell.field.choices).get(raw, raw)
    return str(raw)


def summary_row(index, item, columns, schema):
    data = item["shown_data"] or {}
    submitted = item["submitted_at"]
    fixed = [
        index,
        item["number"],
        schema.title_of(data),
        item["lead_region__name"],
        item["organisation__name"],
        Status(item["status"]).label,
        timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
    ]
    return fixed + [figure(c.cell, data.get(c.cell.name)) for c in columns[FIXED_COUNT:]]


def summary_rows(applications, schema, columns=None):
    """One row (a list of values, in `summary_columns` order) per application, without a query per row."""
    columns = columns or summary_columns(schema)
    for index, item in enumerate(summary_source(applications).iterator(chunk_size=CHUNK_SIZE), 1):
        yield summary_row(index, item, columns, schema)


def as_text(value, places=None):
    """A value as printed in the PDF and shown on screen."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal) and places is not None:
        return f"{value:.{places}f}"
    return str(value)


def generated_at(now=None):
    return timezone.localtime(now or timezone.now()).strftime("%Y年%m月%d日 %H:%M")


def summary_xlsx(applications, schema, title, description, now=None):
    """The 汇总表 as an XLSX temporary file, rewound; memory stays flat whatever the number of rows."""
    columns = summary_columns(schema)
    # ~29 columns: A3 landscape, spread over pages wide when one page would print them too small.
    sheet = StreamedSheet("汇总表", [c.width for c in columns], heading_row=3, paper="A3", now=now)
    sheet.banner(title, TITLE_FONT)
    sheet.banner(f"{description}　生成时间：{generated_at(now)}", NOTE_FONT)
    sheet.headings([c.heading for c in columns])
    places = [c.places for c in columns]
    for row in summary_rows(applications, schema, columns):
        sheet.values(row, places)
    return sheet.save()


# The PDF cannot fit every column across A4 landscape in a readable size, so it prints the table in
# bands of whole sections, each repeating the key columns so a row can be found again in the next.
BAND_WIDTH = 245  # the XLSX column widths (in characters) that fit across A4 landscape at 7.5 pt
KEY_COLUMNS = 3  # 序号, 申报编号, the application's name


@dataclass(frozen=True)
class Band:
    indexes: tuple  # positions of its columns in a full row
    columns: tuple
    groups: tuple  # (section heading, number of columns) over its figure columns
    keys: int  # how many of its columns come before the figures

    def widths(self):
        """Each column's share of the page width, in per cent, for a table with a fixed layout."""
        total = sum(c.width for c in self.columns)
        return [round(c.width * 100 / total, 2) for c in self.columns]


def pdf_bands(columns):
    """The columns split into bands that fit the page: sections kept whole unless one alone is too wide."""
    indexes = [list(range(FIXED_COUNT))]  # the first band carries every fixed column
    keys = FIXED_COUNT

    def fits(extra):
        band = indexes[-1]
        return len(band) == keys or sum(columns[i].width for i in band + extra) <= BAND_WIDTH

    for _, section in groupby(range(FIXED_COUNT, len(columns)), key=lambda i: columns[i].section):
        section = list(section)
        for i in section:
            if not fits(section if i == section[0] else [i]):
                indexes.append(list(range(KEY_COLUMNS)))
                keys = KEY_COLUMNS
            indexes[-1].append(i)
    return [_band(band, columns) for band in indexes]


def _band(indexes, columns):
    chosen = tuple(columns[i] for i in indexes)
    keys = sum(1 for i in indexes if i < FIXED_COUNT)
    groups = tuple((section, len(list(g))) for section, g in groupby(chosen[keys:], key=lambda c: c.section))
    return Band(tuple(indexes), chosen, groups, keys)


def summary_pdf(applications, schema, title, description, now=None, progress=None):
    """The 汇总表 as PDF bytes on A4 landscape, in bands of sections, headings repeated on every page.

    `progress(rows read, step)`, when given, is told after each chunk of rows and before the layout.
    """
    columns = summary_columns(schema)
    rows = []
    for row in summary_rows(applications, schema, columns):
        rows.append([(as_text(v, c.places), c.places is not None) for v, c in zip(row, columns, strict=True)])
        if progress and len(rows) % CHUNK_SIZE == 0:
            progress(len(rows), "读取申报数据")
    if progress:
        progress(len(rows), "排版 PDF")
    bands = [
        {"band": band, "widths": band.widths(), "rows": [[row[i] for i in band.indexes] for row in rows]}
        for band in pdf_bands(columns)
    ]
    context = {
        "title": title,
        "description": description,
        "generated_at": generated_at(now),
        "bands": bands,
        "count": len(rows),
    }
    return render_pdf("print/summary.html", context, subject=description, created=now)

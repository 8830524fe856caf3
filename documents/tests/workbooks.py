"""Helpers for the Excel round-trip tests: export, find a cell's position, edit like a person would, repack."""

import io
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.record import record_of
from documents.workbook import export_workbook
from documents.workbook_layout import capacities_for, layout
from regions.models import Region
from tests.application_data import complete_data


def fill(app, data=None):
    """Give `app` a complete, valid record (or `data`) as if typed in the form."""
    app.data = complete_data(app.call.schema) if data is None else data
    app.save()
    return app


def export(app, version=None, blank=False):
    return export_workbook(record_of(app, version), blank=blank)


def place(app, name, index=None, column=None):
    """Where cell `name` (item `index`, rows column `column`) sits in a workbook exported from `app` now."""
    schema = app.call.schema
    sheets = layout(schema, capacities_for(schema, app.data, Region.objects.count()))
    for sheet in sheets:
        for p in sheet.places:
            key = p.column["key"] if p.column else None
            if p.cell.name == name and p.index == index and key == column:
                return p
    raise LookupError(name)


def open_book(content, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(content), **kwargs)


def edited(content, *changes):
    """The workbook with each (place, value[, number_format]) typed in, saved as Excel would."""
    book = open_book(content)
    for change in changes:
        where, value = change[0], change[1]
        cell = book[where.sheet][where.coordinate]
        cell.value = value
        if len(change) > 2:
            cell.number_format = change[2]
    return saved(book)


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content, name="申报书.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/vnd.ms-excel")


def repack(content, add=None, replace=None):
    """The same ZIP with members added or replaced, for hostile packages built from a real export."""
    add, replace = add or {}, replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return out.getvalue()


def blank_values(data):
    """Every value of `data` emptied, as a person clearing the whole form would leave it."""
    return {name: [] if isinstance(value, list) else "" for name, value in data.items()}

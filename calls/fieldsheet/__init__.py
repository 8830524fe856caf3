"""The 字段表: a call's schema as an Excel workbook the 自治区工信厅's officials edit, and back.

Officials edit a call's form as a workbook, one row per field (PRODUCT.md §2); engineers may keep
editing YAML. Both become the same schema document, the mapping calls.schema.loader.parse_source
returns, with its {year}/{last_year} placeholders kept so a copied call's years shift:

    export_fieldsheet(doc) -> bytes             the document as a 字段表 (.xlsx)
    import_fieldsheet(content) -> dict          the 字段表 back as a document, or FieldsheetError
    dump_source(doc) -> str                     the document as YAML text the loader reads
    check_source(text, year) -> Schema          YAML built; a SchemaError names the entry's line
    check_fieldsheet(content, year)             import + dump + build; every error at its sheet and row

Pure conversion: no models, no views. The pages that offer the download and take the upload call
these and store the YAML text as a new schema revision.
"""

from calls.fieldsheet.export import export_fieldsheet
from calls.fieldsheet.format import FieldsheetError, where
from calls.fieldsheet.import_ import import_fieldsheet, read_fieldsheet
from calls.fieldsheet.source import NAME, check_source, dump_source, loader_path, split_error
from calls.schema.loader import SchemaError, build_schema
from calls.schema.model import Schema

__all__ = [
    "FieldsheetError",
    "check_fieldsheet",
    "check_source",
    "dump_source",
    "export_fieldsheet",
    "import_fieldsheet",
]


def check_fieldsheet(content: bytes, year: int) -> tuple[dict, Schema]:
    """The document of a 字段表 and the Schema it builds for `year`.

    FieldsheetError lists the workbook's problems; what the loader refuses in the built schema is
    reported at the sheet and row of the entry it names.
    """
    doc, places = read_fieldsheet(content)
    try:
        schema = build_schema(dump_source(doc), year, NAME)
    except SchemaError as exc:
        raise FieldsheetError([_at_row(str(exc), places)]) from exc
    return doc, schema


def _at_row(message, places):
    parts = split_error(message)
    found = places.find(loader_path(parts[0])) if parts else None
    if found is None:
        return f"申报书结构检查未通过：{message}"
    return f"{where(*found)}：{parts[1]}"

"""One entry point for every application document: which document, which format, what file name."""

from dataclasses import dataclass

from documents import application_report, performance_table
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.workbook import export_workbook

BUILDERS = {"report": application_report.build, "performance": performance_table.build}
TITLES = {"report": "申请报告", "performance": "绩效目标表"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def official_kinds(schema):
    """The documents a submitted version of `schema` has as official, signed PDFs (documents/official.py):
    those the call prints — the 申请报告, and the 绩效目标表 when its schema lays one out."""
    return list(schema.documents)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    content_type: str


def render(record, document="report", fmt="pdf"):
    """`document` is report or performance; `fmt` pdf, docx or xlsx (the whole record as a workbook)."""
    if fmt == "xlsx":
        name = f"{record.application.number}-申报书-{record.version_label}.xlsx"
        return Rendered(export_workbook(record), name, CONTENT_TYPES["xlsx"])
    doc = BUILDERS[document](record)
    content = document_pdf(doc) if fmt == "pdf" else document_docx(doc)
    return Rendered(content, f"{doc.filename}.{fmt}", CONTENT_TYPES[fmt])

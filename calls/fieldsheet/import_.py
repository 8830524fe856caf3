"""A 字段表 workbook back into the schema document, or every problem it has, each at its sheet and row.

Nothing is returned from a workbook with a problem: the caller stores either a whole document or
nothing. Besides the document, the reader keeps where each entry came from (Places), so an error the
loader finds later in the built schema is still shown at the official's row.
"""

import zipfile
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from calls.fieldsheet.cells import Problems, as_integer, as_text, read_table
from calls.fieldsheet.format import (
    ATTACHMENTS,
    BASIC_ITEMS,
    BASICS,
    COMMITMENT,
    COMMITMENT_LISTS,
    COMMITMENT_PARTS,
    EXPERTISE,
    FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    HELP,
    META_SHEET,
    NOTES,
    PARTS,
    REQUIRED_BASICS,
    RUBRIC,
    RULES,
    SECTIONS,
    STATISTICS,
    SUMMARY,
    TABLE_SHEETS,
    FieldsheetError,
    Places,
)
from calls.fieldsheet.import_fields import read_fields, read_parts, read_sections
from calls.fieldsheet.import_lists import (
    read_expertise,
    read_rubric,
    read_rules,
    read_slots,
    read_statistics,
    read_summary,
)

NOT_A_WORKBOOK = "无法读取这个文件：它不是 Excel 工作簿（.xlsx）。请上传从申报批次页面下载、修改后保存的字段表。"
# A 字段表 unpacks to well under 1 MB; a package that claims far more is refused before it is read.
MAX_UNPACKED = 50 * 1024 * 1024
TOO_LARGE = "这个文件解压后超过 50 MB，不是字段表。请上传从申报批次页面下载、修改后保存的字段表。"
NOT_OURS = (
    "这个工作簿不是本平台的字段表（没有平台的格式标记）。"
    "请在申报批次页面下载字段表，在下载的文件上修改后再上传；不要把内容复制到新建的工作簿中。"
)
# The sheet a loader error names when it names no entry of its own: "rubric", "roles", "(top)"…
SHEET_OF_KEY = {
    "(top)": BASICS, "notes": NOTES, "help": HELP, "commitment": COMMITMENT, "sections": SECTIONS,
    "roles": FIELDS, "attachments": ATTACHMENTS, "rubric": RUBRIC, "statistics": STATISTICS,
    "summary": SUMMARY, "expertise": EXPERTISE, "rules": RULES, "warnings": RULES,
}  # fmt: skip


def import_fieldsheet(content: bytes) -> dict:
    """The schema document a 字段表 declares; FieldsheetError lists every problem of the workbook."""
    return read_fieldsheet(content)[0]


def read_fieldsheet(content):
    """The document and the Places its entries came from."""
    workbook = _open(content)
    problems, places = Problems(), Places()
    for key, sheet in SHEET_OF_KEY.items():
        places.add(key, sheet)
    tables = {name: read_table(workbook, name, problems) for name in TABLE_SHEETS}
    doc = _basics(tables[BASICS], problems, places)
    if tables[NOTES]:
        doc["notes"] = [row.text("内容") for row in tables[NOTES]]
    if tables[HELP]:
        doc["help"] = _help(tables[HELP], places)
    if tables[COMMITMENT] is not None:
        doc["commitment"] = _commitment(tables[COMMITMENT])
    fields = _sections(tables, doc, problems, places)
    # Without its sheet nothing can be checked against it: the missing sheet is the one problem to show.
    section_keys = {s["key"] for s in doc["sections"]} if "sections" in doc else None
    _lists(tables, doc, section_keys, fields, places)
    if problems:
        raise FieldsheetError(problems)
    return doc, places


def _open(content):
    try:
        with zipfile.ZipFile(BytesIO(content)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
        if unpacked > MAX_UNPACKED:
            raise FieldsheetError([TOO_LARGE])
        workbook = load_workbook(BytesIO(content))
    except FieldsheetError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors for whatever is not an .xlsx
        raise FieldsheetError([NOT_A_WORKBOOK]) from exc
    if META_SHEET not in workbook.sheetnames:
        raise FieldsheetError([NOT_OURS])
    ws = workbook[META_SHEET]
    marks = {as_text(ws.cell(n, 1).value): ws.cell(n, 2).value for n in range(1, 6)}
    if marks.get("format") != FORMAT_NAME:
        raise FieldsheetError([NOT_OURS])
    version = as_integer(marks.get("version") or "")
    if version != FORMAT_VERSION:
        raise FieldsheetError(
            [
                f"这个字段表的格式版本是 {marks.get('version')}，平台现在使用第 {FORMAT_VERSION} 版。"
                "请重新下载字段表，把修改誊到新下载的文件上再上传。"
            ]
        )
    return workbook


def _basics(rows, problems, places):
    doc = {}
    first_row: dict[str, int] = {}
    for row in rows or ():
        item = row.pick("项目", BASIC_ITEMS, "项目", required=True)
        if item is None:
            continue
        if item in first_row:
            row.fail("项目", f"与第 {first_row[item]} 行重复。")
            continue
        first_row[item] = row.row_number
        places.add(item, BASICS, row.row_number, row.ident)
        value = row.text("内容", required=item in REQUIRED_BASICS)
        if value is not None:
            doc[item] = value
    if rows is not None:
        for item in REQUIRED_BASICS:
            if item not in first_row:
                problems.add(BASICS, f"缺少“{BASIC_ITEMS[item]}”一行。")
    return {key: doc[key] for key in BASIC_ITEMS if key in doc}


def _help(rows, places):
    texts = {}
    first_row: dict[str, int] = {}
    for row in rows:
        key, text = row.text("键", required=True), row.text("内容", required=True)
        if key in first_row:
            row.fail("键", f"与第 {first_row[key]} 行重复，每个键只能用一次。")
        elif key is not None:
            first_row[key] = row.row_number
            texts[key] = text
            places.add(f"help.{key}", HELP, row.row_number, row.ident)
    return texts


def _commitment(rows):
    commitment: dict[str, Any] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        part = row.pick("类别", COMMITMENT_PARTS, "类别", required=True)
        text = row.text("内容", required=True)
        if part is None or text is None:
            continue
        if part in COMMITMENT_LISTS:
            commitment.setdefault(part, []).append(text)
        elif part in first_row:
            row.fail("类别", f"“{COMMITMENT_PARTS[part]}”只能有一行，第 {first_row[part]} 行已经有了。")
        else:
            first_row[part] = row.row_number
            commitment[part] = text
    return {key: commitment[key] for key in COMMITMENT_PARTS if key in commitment}


def _sections(tables, doc, problems, places):
    """章节, 字段 and 子项 into doc["sections"]; the fields by key (None when a sheet is missing)."""
    if tables[SECTIONS] is None:
        return None
    sections = read_sections(tables[SECTIONS], places)
    doc["sections"] = sections
    if not tables[SECTIONS]:
        problems.add(SECTIONS, "没有任何一节。")
    if tables[FIELDS] is None:
        return None
    if not tables[FIELDS]:
        problems.add(FIELDS, "没有任何字段。")
    fields = read_fields(tables[FIELDS], sections, places)
    read_parts(tables[PARTS] or (), fields, places)
    return fields


def _lists(tables, doc, section_keys, fields, places):
    if tables[RUBRIC]:
        doc["rubric"] = read_rubric(tables[RUBRIC], section_keys, places)
    if tables[STATISTICS]:
        doc["statistics"] = read_statistics(tables[STATISTICS], fields, places)
    if tables[SUMMARY]:
        doc["summary"] = read_summary(tables[SUMMARY], fields, places)
    if tables[EXPERTISE]:
        doc["expertise"] = read_expertise(tables[EXPERTISE], places)
    if tables[RULES]:
        for category, rules in read_rules(tables[RULES], places).items():
            if rules:
                doc[category] = rules
    if tables[ATTACHMENTS] is not None:
        doc["attachments"] = read_slots(tables[ATTACHMENTS], section_keys, fields, places)

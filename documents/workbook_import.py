"""Reading a filled workbook back into a draft: every cell checked first, then all of it or nothing.

Order: who may import and whether the window is open; the package (size, ZIP, bombs, macros, links,
DOCTYPEs, huge sheets — documents.workbook_package); the identity sheet (this call, this schema, this
application, the same layout); every cell (formulas, error values, text in a number cell, 3 decimals,
answers outside a dropdown). One bad cell and nothing is saved; the report names every one.

What an empty cell means depends on what was downloaded, and the upload page says so:
- a workbook from 导出当前内容 is the whole record: a cell emptied in it empties the draft's value;
- the blank template (下载Excel填报模板) only adds what was filled in: its empty cells change nothing
  (a list filled in it, e.g. 平台名称, replaces the draft's list as a whole).

Changes are saved through applications.autosave.save_cells with the edit version the workbook was
exported at, so a value someone changed online after the export is reported as a conflict rather
than silently overwritten (unless the applicant asks for the workbook to win).
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple

from accounts import scoping
from applications import deadlines
from applications.autosave import NotEditable, save_cells
from applications.records import context_of
from calls.schema.values import NONE_ANSWER, Invalid, canonical, clean_text, normalise
from documents.workbook import BLANK, FILLED
from documents.workbook_layout import (
    IDENTITY_SHEET,
    MAX_ITEMS,
    TEMPLATE_MARK,
    fingerprint,
    layout,
    list_cells,
    options,
)
from documents.workbook_package import (
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    Limits,
    PackageRefused,
    inspect_package,
    read_upload,
)
from documents.workbook_report import ERROR, NOTE, Entry, ImportResult, anchors, entry, rule_entries

MAX_ERRORS = 200
WRONG_TEMPLATE = "这不是本批次的申报书模板：工作簿中没有系统的模板标识。请在本页下载Excel填报模板，在模板中填写后上传。"
WRONG_CALL = (
    "这不是本批次的申报书模板：工作簿属于{found}，本申报书属于{expected}。请在本页重新下载Excel填报模板后填写。"
)
OTHER_APPLICATION = "这份工作簿属于另一份申报书（编号 {found}），不能导入到本申报书（编号 {expected}）。"
TAMPERED = "工作簿的模板标识不完整或已被修改，无法确定各单元格对应的填报项。请在本页重新下载模板后填写。"
OUTDATED = "工作簿的版式与当前模板不一致（模板已更新或表格结构被改动）。请在本页重新下载模板，把内容填入新模板后上传。"
ACCEPT_ALIASES = {"1", "是", "确认", "√", "✓", "✔"}


def import_workbook(application, user, uploaded_file, overwrite=False) -> ImportResult:
    """Check `uploaded_file` against `application`'s layout and merge it into the draft, or refuse."""
    application.refresh_from_db()  # compare against what is stored now, not what the caller loaded
    if not scoping.may_edit_application(user, application):
        return ImportResult(refused="申报书已提交或当前不能修改，不能导入。如需修改，请先撤回。")
    if not deadlines.open_for_applicant(application):
        return ImportResult(refused="不在申报时间内，不能修改。")
    limits = Limits.from_settings()
    try:
        content = read_upload(uploaded_file, limits)
        inspect_package(content, limits)
        workbook = _open(content)
        try:
            reading = _Reading(application, workbook).read()
        finally:
            workbook.close()
    except PackageRefused as exc:
        return ImportResult(refused=str(exc))
    if reading.errors:
        return ImportResult(
            refused=f"工作簿中有 {len(reading.errors)} 处内容不能导入，申报书没有任何修改。请按下表修改后重新上传。",
            entries=reading.errors + reading.notes,
        )
    return _merge(application, reading, overwrite)


def _open(content):
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package; all mean the same
        raise PackageRefused(
            "无法读取该Excel文件，文件可能已损坏。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。"
        ) from exc


class _Reading:
    """Everything read from one workbook: new values by cell, the errors and notes found on the way."""

    def __init__(self, application, workbook):
        self.application, self.workbook = application, workbook
        self.schema = application.schema
        self.data = application.data
        self.regions = context_of(application).regions
        self.errors, self.notes, self.values = [], [], {}

    def read(self):
        self.identity = self._identity()
        capacities = self._capacities()
        self.sheets = layout(self.schema, capacities)
        if self.identity.get("layout") != fingerprint(self.schema, self.sheets):
            raise PackageRefused(OUTDATED)
        found = {}
        for sheet in self.sheets:
            if sheet.title not in self.workbook.sheetnames:
                raise PackageRefused(f"工作簿中找不到工作表“{sheet.title}”。请不要修改工作表的名称，或重新下载模板。")
            found.update(self._sheet_cells(sheet))
        known = {s.title for s in self.sheets} | {IDENTITY_SHEET}
        for title in self.workbook.sheetnames:
            if title not in known:
                self.notes.append(Entry(NOTE, title, "", "", "此工作表不是模板的一部分，其中的内容没有导入。"))
        by_cell = defaultdict(list)
        for sheet in self.sheets:
            for place in sheet.places:
                if not place.is_derived:  # 系统生成的内容 is never imported
                    by_cell[place.cell.name].append(place)
        for name, places in by_cell.items():
            cell = self.schema.cells[name]
            self.values[name] = self._list(cell, places, found) if cell.is_list else self._scalar(places[0], found)
        order = {s.title: n for n, s in enumerate(self.sheets)}
        self.errors.sort(key=lambda e: (order.get(e.sheet, len(order)), coordinate_to_tuple(e.cell) if e.cell else ()))
        return self

    @property
    def blank(self):
        return self.identity["kind"] == BLANK

    @property
    def base_version(self):
        exported = self.identity.get("edit_version", "")
        current = self.application.edit_version
        return min(int(exported), current) if exported.isdigit() else current

    def _identity(self):
        if IDENTITY_SHEET not in self.workbook.sheetnames:
            raise PackageRefused(WRONG_TEMPLATE)
        identity = {}
        for key, value in self.workbook[IDENTITY_SHEET].iter_rows(min_row=1, max_row=MAX_ITEMS + 50, max_col=2):
            if "f" in (key.data_type, value.data_type):
                raise PackageRefused(TAMPERED)
            if isinstance(key.value, str):
                identity[key.value] = "" if value.value is None else str(value.value)
        if identity.get("template") != TEMPLATE_MARK:
            raise PackageRefused(WRONG_TEMPLATE)
        call = self.application.call
        found = tuple(identity.get(k, "")[:40] for k in ("schema_code", "schema_version", "call_code", "call_year"))
        expected = (self.schema.code, self.schema.version, call.code, str(call.year))
        if found != expected:
            raise PackageRefused(
                WRONG_CALL.format(
                    found=f"“{found[3]}年 {found[2]}（{found[0]} {found[1]}）”", expected=f"“{call.name}”"
                )
            )
        if identity.get("application") != self.application.number:
            raise PackageRefused(
                OTHER_APPLICATION.format(
                    found=identity.get("application", "")[:40] or "未知", expected=self.application.number
                )
            )
        if identity.get("kind") not in (BLANK, FILLED):
            raise PackageRefused(TAMPERED)
        return identity

    def _capacities(self):
        capacities = {}
        for cell in list_cells(self.schema):
            text = self.identity.get(f"capacity:{cell.name}", "")
            if not text.isdigit() or int(text) > MAX_ITEMS:
                raise PackageRefused(TAMPERED)
            capacities[cell.name] = int(text)
        return capacities

    def _sheet_cells(self, sheet):
        """(sheet, row, col) -> (value, number format) of every non-empty cell at a value place."""
        ws = self.workbook[sheet.title]
        places = {(p.row, p.col): p for p in sheet.places}
        covered = sheet.covered()
        found = {}
        for row in ws.iter_rows(min_row=1, max_row=MAX_SHEET_ROWS, max_col=MAX_SHEET_COLUMNS):
            for c in row:
                if c.value is None or (isinstance(c.value, str) and not clean_text(c.value)):
                    continue
                place = places.get((c.row, c.column))
                label = place.label if place else ""
                if c.data_type == "f":
                    self._error(
                        sheet.title, c.coordinate, label, "单元格含有公式，不能导入。请改为直接填写数值或文字。"
                    )
                elif c.data_type == "e":
                    self._error(sheet.title, c.coordinate, label, f"单元格是错误值（{c.value}），请改为直接填写内容。")
                elif place is not None:
                    found[(sheet.title, c.row, c.column)] = (c.value, c.number_format or "")
                elif (c.row, c.column) not in covered:
                    self._error(
                        sheet.title,
                        c.coordinate,
                        "",
                        "此单元格不是填报位置，内容不会导入。请填在模板的白色单元格中，或删除。",
                    )
        return found

    def _error(self, sheet, coordinate, label, message):
        self.errors.append(Entry(ERROR, sheet, coordinate, label, message))
        if len(self.errors) >= MAX_ERRORS:
            raise PackageRefused(
                f"工作簿中不能导入的内容超过 {MAX_ERRORS} 处，申报书没有任何修改。请使用系统下载的模板填写。"
            )

    def _typed(self, place, found):
        """The cell as text, as the applicant would have typed it (Invalid for what cannot be text)."""
        value, number_format = found.get((place.sheet, place.row, place.col), (None, ""))
        kind = place.cell.kind if place.column is None else "text"
        return excel_text(value, number_format, kind)

    def _scalar(self, place, found):
        cell, stored = place.cell, self.data.get(place.cell.name, "")
        typed = ""
        try:
            typed = self._typed(place, found)
            return normalise(cell, self._stored_form(place, typed))
        except Invalid as exc:
            if typed and clean_text(typed) == stored:
                return stored  # an entry still to be corrected, exported as typed and not touched since
            shown = f"“{clean_text(typed)[:30]}”：" if typed else ""
            self._error(place.sheet, place.coordinate, place.label, f"{shown}{exc}")
            return None

    def _list(self, cell, places, found):
        items = defaultdict(dict)
        ok = True
        for place in places:
            try:
                text = self._stored_form(place, self._typed(place, found))
            except Invalid as exc:
                self._error(place.sheet, place.coordinate, place.label, str(exc))
                ok = False
                continue
            items[place.index][place.column["key"] if place.column else None] = text
        ordered = [items[i] for i in sorted(items)]
        value = ordered if cell.kind == "rows" else [row[None] for row in ordered]
        if cell.kind == "regions":
            value = [v for v in value if v]
        while value and not _filled(value[-1]):
            value.pop()
        try:
            return normalise(cell, value) if ok else None
        except Invalid as exc:
            self._error(places[0].sheet, places[0].coordinate, places[0].label, str(exc))
            return None

    def _stored_form(self, place, typed):
        """What the form would store for `typed` at this place; Invalid where the import must refuse it."""
        text = clean_text(typed)
        cell = place.cell
        choices = options(place, self.regions)
        if not text:
            return ""
        if choices is not None:
            for value, label in choices:
                if text in (value, label):
                    return value
            if cell.kind == "accept" and text in ACCEPT_ALIASES:
                return "1"
            if place.column is not None:
                return text  # 绩效指标 columns are checked row by row by the schema's rules
            raise Invalid(f"“{text[:30]}”不是可选项，请从下拉列表中选择：{'／'.join(label for _, label in choices)}。")
        if place.column is None and (cell.is_numeric or cell.kind == "date") and text != NONE_ANSWER:
            return canonical(cell, text)
        return text


def excel_text(value, number_format="", kind="text"):
    """An Excel value as the text it stands for: exact digits, no rounding, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Invalid("单元格是逻辑值（TRUE/FALSE），请直接填写内容。")
    if isinstance(value, int | float):
        if "%" in number_format:
            if kind not in {"ratio", "growth"}:
                raise Invalid("单元格使用了百分比格式，请直接填写数值。")
            return _decimal_text(Decimal(repr(value)) * 100)  # 35% in Excel is 0.35; the field means 35
        # repr() gives the shortest digits that are the same float: 12.5, never 12.4999999.
        return _decimal_text(Decimal(repr(value)))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise Invalid("无法识别的单元格内容（如时间、时长），请直接填写。")


def _decimal_text(number):
    # The digits as typed: 12.5 stays 12.5 (the schema adds its 2 places), 12.345 stays 12.345 (and is
    # reported), 35.00 from a percentage becomes 35; "f" never shows an exponent.
    return format(number.normalize(), "f")


def _filled(value):
    if isinstance(value, dict):
        return any(value.values())
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    return bool(value)


def _same(old, new):
    if not _filled(old) and not _filled(new):
        return True
    if isinstance(old, list) and isinstance(new, list):
        old = list(old)
        while old and not _filled(old[-1]):
            old.pop()
    return old == new


class _Rejected(Exception):
    """A value the schema engine refused to store; the whole import is rolled back."""


def _merge(application, reading, overwrite):
    changes = {
        name: new
        for name, new in reading.values.items()
        if not (reading.blank and not _filled(new)) and not _same(application.data.get(name), new)
    }
    places = anchors(reading.sheets)
    if changes:
        force = set(changes) if overwrite else ()
        try:
            with transaction.atomic():
                result = save_cells(application, changes, reading.base_version, force=force)
                if result.rejected:
                    raise _Rejected(result.rejected)  # all or nothing: undo what was valid
        except NotEditable as exc:
            return ImportResult(refused=str(exc))
        except KeyError:
            return ImportResult(refused="工作簿含有本申报书没有的填报项，没有导入任何内容。请使用系统下载的模板填写。")
        except _Rejected as exc:
            entries = [
                entry(ERROR, places.get(name), reading.schema.cells[name].label, message)
                for name, message in exc.args[0].items()
            ]
            return ImportResult(refused=f"有 {len(entries)} 项不能保存，本次没有导入任何内容。", entries=entries)
        if result.conflicts:
            entries = [
                entry(
                    ERROR,
                    places.get(name),
                    reading.schema.cells[name].label,
                    f"系统中现为“{_shown(value)}”，与工作簿不同。",
                )
                for name, value in result.conflicts.items()
            ]
            return ImportResult(
                refused=(
                    f"有 {len(entries)} 项在导出这份工作簿之后已在系统中修改，为避免覆盖，本次没有导入任何内容。"
                    "请核对下表：如以工作簿为准，勾选“以工作簿内容为准”后重新上传；否则请重新导出后再修改。"
                ),
                entries=entries + reading.notes,
            )
        application.refresh_from_db()
    if changes:
        summary = f"已从工作簿导入 {len(changes)} 项修改。"
    elif reading.blank and not any(_filled(v) for v in reading.values.values()):
        summary = "工作簿中没有填写任何内容，申报书没有修改。"
    else:
        summary = "工作簿的内容与申报书现有内容一致，没有需要导入的修改。"
    entries = reading.notes + rule_entries(application, reading.sheets)
    return ImportResult(summary=summary, entries=entries, changed=sorted(changes))


def _shown(value):
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    return (text[:40] + "…") if len(text) > 40 else text

"""The per-cell report of an Excel import: what was refused or still needs work, by sheet and cell."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from applications.records import report_of
from calls.schema.report import ATTACHMENT, MISSING

ERROR, PROBLEM, MISSING_VALUE, WARNING, NOTE = "error", "problem", "missing", "warning", "note"
LEVEL_LABELS = {ERROR: "未导入", PROBLEM: "需修改", MISSING_VALUE: "未填写", WARNING: "请核实", NOTE: "说明"}
_ROW_IN_MESSAGE = re.compile(r"第(\d+)(?:行|个名称|项)")


@dataclass(frozen=True)
class Entry:
    """One line of the report: which sheet and cell, which 填报项, and what to do about it."""

    level: str
    sheet: str
    cell: str
    label: str
    message: str

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]


@dataclass
class ImportResult:
    refused: str = ""  # why nothing was saved; empty when the import went through
    summary: str = ""
    entries: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # names of the cells saved

    @property
    def saved(self):
        return bool(self.changed) and not self.refused

    @property
    def errors(self):
        return [e for e in self.entries if e.level == ERROR]


def anchors(sheets):
    """Cell name or field key -> the places it occupies, to point a message at a sheet and cell."""
    found = defaultdict(list)
    for sheet in sheets:
        for place in sheet.places:
            found[place.cell.name].append(place)
            if place.cell.field.key != place.cell.name:
                found[place.cell.field.key].append(place)
    return found


def entry(level, places, label, message):
    """An entry at the first place of a cell, or at the row a list message names (第3行…)."""
    place = places[0] if places else None
    match = _ROW_IN_MESSAGE.match(message)
    if places and match:
        place = next((p for p in places if p.index == int(match[1]) - 1), place)
    return Entry(level, place.sheet if place else "", place.coordinate if place else "", label, message)


def rule_entries(application, sheets):
    """The schema's own check of the saved draft (as the form shows it), placed in the workbook."""
    schema = application.schema
    report = report_of(application)
    places = anchors(sheets)
    titles = {s.section: s.title for s in sheets}
    entries = []
    for problem in report.problems:
        if problem.kind == ATTACHMENT:
            continue  # files are uploaded on the 附件材料 page, not through the workbook
        if problem.cell in schema.cells:
            label = schema.cells[problem.cell].label
        else:
            label = schema.fields[problem.cell].message_label if problem.cell in schema.fields else ""
        level = MISSING_VALUE if problem.kind == MISSING else PROBLEM
        entries.append(entry(level, places.get(problem.cell), label, problem.message))
    entries.sort(key=lambda e: e.level == MISSING_VALUE)  # what is wrong before what is merely empty
    entries += [Entry(WARNING, titles.get(section, ""), "", "", message) for section, message in report.warnings]
    return entries

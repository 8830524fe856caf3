"""Checking a whole application against its schema: every problem, every warning, each section's state."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from django.utils import timezone

from calls.schema import rules
from calls.schema.checks import WARNINGS
from calls.schema.model import ATTACHMENTS_SECTION
from calls.schema.values import check

# Problem kinds. "missing" is only shown once the applicant asks for the pre-submit check; the
# others are shown next to the field as soon as the value is saved.
MISSING, INVALID, BLOCK, ATTACHMENT = "missing", "invalid", "block", "attachment"

STATUS_LABELS = {"empty": "未填", "partial": "填写中", "error": "有错误", "done": "已完成"}


@dataclass(frozen=True)
class Context:
    """What the schema needs from outside the data: who applies, where, and what is attached."""

    organisation_name: str = ""
    lead_region_code: str = ""
    lead_region_name: str = ""
    lead_bureau: str = ""
    submitted_at: datetime | None = None
    regions: dict = dc_field(default_factory=dict)  # code -> name of every region that may take part
    attachments: dict = dc_field(default_factory=dict)  # slot key -> number of files


@dataclass(frozen=True)
class Problem:
    kind: str
    section: str
    cell: str  # the anchor the message belongs next to (a cell name, a field key or a slot key)
    message: str


@dataclass
class Report:
    problems: list
    warnings: list  # [(section, message)]
    statuses: dict  # section key -> empty / partial / error / done
    warning_cells: list = dc_field(default_factory=list)  # the cell each warning is shown beside, in the same order

    @property
    def blocking(self):
        return self.problems

    @property
    def is_complete(self):
        return not self.problems

    def inline_errors(self):
        """Messages shown next to fields while filling: everything except what is merely missing."""
        errors = {}
        for p in self.problems:
            if p.kind not in (MISSING, ATTACHMENT) and p.cell not in errors:
                errors[p.cell] = p.message
        return errors

    def errors_by_cell(self, include_missing=False):
        errors: dict[str, list[str]] = {}
        for p in self.problems:
            if include_missing or p.kind not in (MISSING, ATTACHMENT):
                errors.setdefault(p.cell, []).append(p.message)
        return {k: "；".join(v) for k, v in errors.items()}

    def problems_in(self, section):
        return [p for p in self.problems if p.section == section]

    def warnings_in(self, section):
        return [m for s, m in self.warnings if s == section]

    def warnings_by_cell(self):
        """Warnings shown next to their field: cell name -> the messages about it, joined."""
        found: dict[str, list[str]] = {}
        for cell, (_, message) in zip(self.warning_cells, self.warnings, strict=True):
            found.setdefault(cell, []).append(message)
        return {k: "；".join(v) for k, v in found.items()}

    def status_label(self, section):
        return STATUS_LABELS[self.statuses[section]]

    @property
    def done_count(self):
        return sum(1 for s in self.statuses.values() if s == "done")


def derived_value(field, data, context, schema):
    source = field.source
    if source.startswith("field:"):
        return data.get(source[6:], "")
    if source == "submitted_at":
        when = context.submitted_at
        return timezone.localtime(when).strftime("%Y年%m月%d日 %H:%M") if when else "提交时自动生成"
    return {
        "lead_region": context.lead_region_name,
        "lead_bureau": context.lead_bureau,
        "organisation": context.organisation_name,
        "department": schema.department,
    }[source]


def _is_empty(value):
    return value in (None, "", []) or (isinstance(value, list) and not any(value))


def _missing_message(cell):
    field = cell.field
    if cell.kind in {"choice", "regions"}:
        return f"请选择{cell.label}。"
    if cell.kind == "accept":
        return "请阅读承诺书并勾选确认。"
    if cell.kind == "names":
        return f"请填写{field.message_label}的名称，每行一个。"
    hint = "；无相关情况时填写“无”" if field.allow_none else ("；没有时填 0" if cell.kind == "count" else "")
    return f"请填写{cell.label}{hint}。"


def validate(schema, data, context) -> Report:
    problems = []

    def add(kind, section, cell, message):
        problems.append(Problem(kind, section, cell, message))

    for section in schema.sections:
        for field in section.fields:
            if field.type == "derived":
                continue
            _check_field(schema, field, data, context, add)
    for rule in schema.rules:
        for cell, message in rules.SCHEMA_RULES[rule["kind"]](rule, data):
            add(INVALID, schema.cells[cell].section, cell, message)
    for slot in schema.slots:
        required = slot.required or (slot.required_when and rules.condition_holds(schema, slot.required_when, data))
        if required and not context.attachments.get(slot.key):
            add(ATTACHMENT, slot.section, slot.key, f"请上传{slot.label}。")
    found = [
        (cell, message) for w in schema.warnings for cell, message in WARNINGS[w["kind"]](w, data, schema, context)
    ]
    warnings = [(schema.cells[cell].section, message) for cell, message in found]
    return Report(problems, warnings, _statuses(schema, data, context, problems), [cell for cell, _ in found])


def _check_field(schema, field, data, context, add):
    section = field.section
    names_required = field.type == "named_count" and (rules.number(data, field.cells[0].name) or 0) > 0
    for cell in field.cells:
        value = data.get(cell.name)
        if _is_empty(value):
            required = names_required if cell.kind == "names" else field.required
            if field.type == "rows" and field.require_each:
                pass  # rows_missing names each 一级 that still needs a row
            elif field.type == "text_list" and field.min_items:
                add(MISSING, section, cell.name, f"请至少填写{field.min_items}项{field.label}。")
            elif required:
                add(MISSING, section, cell.name, _missing_message(cell))
            continue
        message = check(cell, value, context)
        if message:
            kind = BLOCK if cell.kind == "choice" and value in field.blocks else INVALID
            add(kind, section, cell.name, message)
    per_type = {
        "named_count": lambda: rules.named_count(field, data),
        "text_list": lambda: rules.text_list(field, data),
        "text_group": lambda: rules.text_group_total(field, data),
        "rows": lambda: rules.rows(field, data),
        "regions": lambda: rules.regions(field, data, context),
    }
    if field.type in per_type:
        for cell, message in per_type[field.type]():
            add(INVALID, section, cell, message)
    if field.type == "rows":
        for cell, message in rules.rows_missing(field, data):
            add(MISSING, section, cell, message)


def _statuses(schema, data, context, problems):
    statuses = {}
    for key in schema.section_keys:
        slots = schema.slots_for(key) if key != ATTACHMENTS_SECTION else schema.slots
        own = [p for p in problems if p.section == key or (key == ATTACHMENTS_SECTION and p.kind == ATTACHMENT)]
        if key == ATTACHMENTS_SECTION:
            started = any(context.attachments.get(s.key) for s in slots)
        else:
            started = any(
                not _is_empty(data.get(c.name))
                for f in schema.section(key).fields
                if f.type != "derived" and not f.default
                for c in f.cells
            ) or any(context.attachments.get(s.key) for s in slots)
        if not started and own:
            statuses[key] = "empty"
        elif any(p.kind in (INVALID, BLOCK) for p in own):
            statuses[key] = "error"
        elif own:
            statuses[key] = "partial"
        else:
            statuses[key] = "done"
    return statuses

"""The loaded, immutable shape of a call schema: sections, fields, the cells they expand to, slots."""

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import Any

# Cell names join a field key with its year, row, column or part: output__2021,
# standards__2021__national__lead, platforms_national__count, plan__intro.
SEP = "__"

NUMERIC_KINDS = {"decimal", "ratio", "growth", "count"}
LIST_KINDS = {"regions", "names", "text_list", "rows"}


@dataclass(frozen=True)
class Cell:
    """One saveable value: what an input posts and what the rules check."""

    name: str
    field: "Field"
    kind: str  # decimal, ratio, growth, count, text, longtext, choice, date, phone, regions, accept, names, ...
    label: str  # the full label used in messages, year and row included
    year: int | None = None
    row: str | None = None
    col: str | None = None
    part: str | None = None

    @property
    def section(self):
        return self.field.section

    @property
    def is_numeric(self):
        return self.kind in NUMERIC_KINDS

    @property
    def is_list(self):
        return self.kind in LIST_KINDS


def with_unit(label, unit):
    """The label with its unit in brackets, unless the label already names it: 集群总产值（亿元）, or
    单位产值二氧化碳排放量（吨二氧化碳/万元） for 吨/万元, the guide's own longer spelling of the unit."""
    if not unit:
        return label
    head, _, tail = unit.partition("/")
    for group in re.findall(r"（([^（）]*)）", label):
        if unit in group or (tail and head in group and tail in group):
            return label
    return f"{label}（{unit}）"


_GUIDE_NOTE = re.compile(r"（[^（）]*）")


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: str
    section: str
    caption: str = ""  # a longer label for messages where the short one is ambiguous (联系人)
    help: str = ""
    unit: str = ""
    required: bool = True
    allow_none: bool = False  # 无 accepted as an explicit answer
    max_chars: int | None = None
    min: Any = None
    max: Any = None
    places: int = 2
    choices: tuple = ()  # ((value, label), ...)
    per_year: bool = False
    year_heading: str = ""
    group: str = ""
    blocks: dict = dc_field(default_factory=dict)  # answer -> why it blocks submission
    source: str = ""  # derived fields
    default: str = ""
    rows: tuple = ()  # matrix rows ((key, label), ...)
    columns: tuple = ()  # matrix columns ((key, label), ...) or rows-field column dicts
    row_heading: str = ""
    cell_type: str = ""
    parts: tuple = ()  # text_group parts ((key, label, guidance), ...)
    item_label: str = ""
    min_items: int = 0
    qualitative: dict = dc_field(default_factory=dict)
    require_each: str = ""
    roles: tuple = ()  # what the platform uses this field for beyond the form (ROLES)
    cover: str = ""  # the label it is printed under on the 申请报告's cover; empty when not on the cover
    printed: bool = True  # False: asked on the form, never printed in a document
    cells: tuple = ()  # filled in by the loader

    @property
    def message_label(self):
        return self.caption or self.label

    @property
    def guide_note(self):
        """The guide's own note on the field, printed with it in the documents: a help text that opens with
        words in full-width brackets — （需提供清单）, （注：…需提供计算公式） — begins with the guide's note;
        the rest of it is the form's own advice, for the form only."""
        note = _GUIDE_NOTE.match(self.help)
        return note.group(0) if note else ""

    @property
    def template(self):
        return f"applications/fields/{self.type}.html"

    def cell(self, suffix=""):
        name = f"{self.key}{SEP}{suffix}" if suffix else self.key
        return next(c for c in self.cells if c.name == name)


@dataclass(frozen=True)
class Slot:
    """An attachment slot: what evidence goes in it, which file types, and when it is required."""

    key: str
    label: str
    section: str
    types: tuple
    max_files: int = 10
    required: bool = True
    required_when: dict | None = None


# Where a section's fields are printed (the section's `document`): the body of the 申请报告, the
# 绩效目标表, the 承诺书 page (the schema's commitment text, signed and sealed), or nowhere (the
# cover's fields print on the cover through their own `cover` label).
REPORT, PERFORMANCE, COMMITMENT, FORM_ONLY = "report", "performance", "commitment", "form"
SECTION_DOCUMENTS = {REPORT: "申请报告正文", PERFORMANCE: "绩效目标表", COMMITMENT: "承诺书", FORM_ONLY: "仅在表单中"}

# What a field may be marked for, so no Python names a call's field key: the name every list and
# document shows for an application, the cover's contact, the dashboards' category filter, the
# figure a 盟市's 推荐清单 shows for each application, and the 项目名称 on the 书脊 (guide rule 8;
# without one the spine carries the call's project_name), and the 自治区 funds an application asks for,
# which the 拟支持 decision is checked against (reviews/decisions.py).
ROLES = {
    "title": "名称",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "category": "分类筛选",
    "headline": "主要指标",
    "spine": "书脊项目名称",
    "requested": "申请奖补金额",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    number: str = ""
    intro: str = ""
    document: str = REPORT
    fields: tuple = ()

    @property
    def heading(self):
        return f"{self.number}、{self.title}" if self.number else self.title

    @property
    def is_commitment(self):
        return self.document == COMMITMENT


ATTACHMENTS_SECTION = "attachments"

# 会签: whether a cross-盟市 application's participating 盟市 give an opinion before the lead 盟市 recommends.
# required: 推荐 waits for every participating 盟市's opinion on the version under review; optional: they
# may give one; none: they are only told. A call that says nothing lets them (optional).
COUNTERSIGN_REQUIRED, COUNTERSIGN_OPTIONAL, COUNTERSIGN_NONE = "required", "optional", "none"
COUNTERSIGN_POLICIES = (COUNTERSIGN_REQUIRED, COUNTERSIGN_OPTIONAL, COUNTERSIGN_NONE)


@dataclass(frozen=True)
class Schema:
    code: str
    version: str
    digest: str  # SHA-256 of the schema file, frozen into every submitted version
    year: int
    years: tuple
    title: str
    project_name: str
    department: str
    notes: tuple
    commitment: dict
    sections: tuple
    rules: tuple
    warnings: tuple
    slots: tuple
    rubric: tuple = ()  # rubric.Dimension: what experts score, weights summing to 100
    statistics: tuple = ()  # statistics.StatGroup: the figures the dashboards compare, in groups
    summary: tuple = ()  # field keys whose figures make the 汇总表 columns, in order
    summary_headings: dict = dc_field(default_factory=dict)  # field key -> shorter heading than its label
    subject: str = "项目"  # what one application is about, in the platform's own wording: 集群, 项目
    expertise: Any = None  # expertise.Expertise: the 专业领域 an application's 主导产业 calls for, or None
    countersign: str = COUNTERSIGN_OPTIONAL  # 会签 by the participating 盟市: one of COUNTERSIGN_POLICIES

    # Lookups built once per schema; cached_property writes the instance __dict__ directly, which a
    # frozen dataclass allows, and keeps them out of the dataclass fields (eq, hash, repr).
    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.key: f for s in self.sections for f in s.fields}

    @cached_property
    def cells(self) -> dict[str, Cell]:
        return {c.name: c for f in self.fields.values() for c in f.cells}

    @cached_property
    def _roles(self) -> dict[str, Field]:
        return {role: f for f in self.fields.values() for role in f.roles}

    def section(self, key):
        return next(s for s in self.sections if s.key == key)

    def role(self, name):
        """The field marked for `name` (one of ROLES), or None when this call marks none (the loader
        makes every call mark its `title`)."""
        return self._roles.get(name)

    @property
    def title_label(self):
        """What this call calls an application's name: 集群名称, 项目名称."""
        return self._roles["title"].label

    def title_of(self, data):
        """An application's name as every list and document shows it: the answer to its `title` field."""
        return str(data.get(self._roles["title"].key) or "")

    @property
    def regions_field(self):
        """The field naming the participating 盟市 (type regions), or None when the call has no such field."""
        return next((f for f in self.fields.values() if f.type == "regions"), None)

    @property
    def asks_countersign(self):
        """The participating 盟市 record a 会签 opinion (required or optional)."""
        return self.countersign != COUNTERSIGN_NONE

    @property
    def requires_countersign(self):
        """推荐 waits until every participating 盟市 has recorded its 会签 opinion on the version."""
        return self.countersign == COUNTERSIGN_REQUIRED

    def source_label(self, source, default):
        """The label this call gives a derived value (source organisation: 集群促进组织名称), else `default`."""
        field = next((f for f in self.fields.values() if f.type == "derived" and f.source == source), None)
        return field.label if field else default

    def sections_for(self, document):
        return [s for s in self.sections if s.document == document]

    @property
    def documents(self):
        """The documents this call prints: the 申请报告 always, the 绩效目标表 when a section is laid out for it."""
        return ("report", "performance") if self.sections_for(PERFORMANCE) else ("report",)

    @property
    def cover_fields(self):
        return [f for f in self.fields.values() if f.cover]

    def commitment_slots(self):
        """The slots of the 承诺书 section: the signed and sealed commitment, without which nothing is submitted."""
        keys = {s.key for s in self.sections_for(COMMITMENT)}
        return [s for s in self.slots if s.section in keys]

    def summary_cells(self):
        """The 汇总表 columns as (cell, heading with unit) pairs, in the order the schema lists them."""
        for key in self.summary:
            yield self.column(key, self.summary_headings.get(key))

    def column(self, key, heading=None):
        """One field as a list column: its cell (a per-year field's last year) and a heading with the unit."""
        field = self.fields[key]
        cell = next(c for c in field.cells if c.year == self.years[-1]) if field.per_year else field.cells[0]
        heading = heading or field.label
        if cell.year:
            heading = f"{cell.year}年{heading}"
        if field.unit and f"（{field.unit}）" not in heading:
            heading = f"{heading}（{field.unit}）"
        return cell, heading

    def slots_for(self, section_key):
        return [s for s in self.slots if s.section == section_key]

    def slot(self, key):
        return next((s for s in self.slots if s.key == key), None)

    @property
    def section_keys(self):
        """Every page of the form in the guide's order, the attachments page last."""
        return [s.key for s in self.sections] + [ATTACHMENTS_SECTION]

    def section_title(self, key):
        if key == ATTACHMENTS_SECTION:
            return "附件材料"
        return self.section(key).heading

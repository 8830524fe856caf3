"""What changed between two submitted versions, field by field and file by file, as a reviewer reads it.

After a 退回修改 the applicant resubmits a new version; the reviewer who returned it checks what was
changed against the version they returned. Values are shown as the 申请报告 prints them (choices as
ticked boxes, 盟市 codes as names, lists one per line), so both columns read like the paper copy.
"""

import difflib
from dataclasses import dataclass
from typing import NamedTuple

from accounts.models import Role
from applications.models import Status
from applications.workflow import ACTIONS, ActionCode
from calls.schema.model import with_unit
from documents.application_report import cell_text
from documents.record import record_of

EMPTY = "（空）"
DROPPED_HEADING = "新版申报书结构已取消的填报项"
# 退回修改 by the 盟市 or the 自治区. A 撤回 after a resubmission also lands in 退回修改, but it returns
# nothing to review: the version a reviewer returned is the one its own return acted on.
RETURN_ACTIONS = tuple(a.code for a in ACTIONS.values() if a.target == Status.RETURNED)
UNIT_TYPES = {"count", "decimal"}  # as documents.application_report.display_label: others name it in the label
LONG_KINDS = {"longtext", "names", "text_list", "rows"}
LONG_CHARS = 80  # a value longer than this is set out in full, with the changed passages marked
# Equal runs shorter than this between two changes are folded into the change, so a rewritten
# sentence reads as one deletion and one insertion instead of scattered single characters.
MIN_EQUAL_RUN = 3


@dataclass(frozen=True)
class Change:
    label: str
    old_text: str
    new_text: str
    long: bool = False
    # For long texts: ((changed, text), ...) on each side, so removed and added passages can be marked.
    old_marks: tuple = ()
    new_marks: tuple = ()

    @property
    def old_empty(self):
        return self.old_text == EMPTY

    @property
    def new_empty(self):
        return self.new_text == EMPTY


class Group(NamedTuple):
    heading: str
    changes: list


@dataclass(frozen=True)
class FileRef:
    id: int | None
    name: str
    size: int
    sha256: str

    @property
    def short_sha(self):
        return self.sha256[:16].upper()


@dataclass(frozen=True)
class AttachmentChange:
    kind: str  # added, removed, replaced
    slot_label: str
    old: FileRef | None = None
    new: FileRef | None = None

    @property
    def kind_label(self):
        return {"added": "新增", "removed": "删除", "replaced": "替换"}[self.kind]


class Return(NamedTuple):
    transition: object
    office: str  # who returned it: 包头市工业和信息化局, 自治区工业和信息化厅


@dataclass(frozen=True)
class Comparison:
    """Everything the 修改对比 page shows: the two versions, the return between them, what changed."""

    application: object
    old: object
    new: object
    groups: list
    attachments: list
    returns: list  # Return(transition, office) for each 退回修改 between the two versions, oldest first
    schema_differs: bool  # the two versions answered different revisions of the call's schema
    # The 重新提交 Transitions of the versions after `old` up to `new`, oldest first: each reason is the
    # applicant's 修改说明 (applications/submission.py).
    notes: tuple = ()

    @property
    def field_count(self):
        return sum(len(group.changes) for group in self.groups)

    @property
    def unchanged(self):
        return not self.groups and not self.attachments


def compare(old_version, new_version):
    """The cells that differ, grouped by section in the newer version's schema: [Group(heading, [Change])].

    Each version is read through the schema revision it answered. A cell the older revision lacks
    shows as （空）; one the newer revision dropped is listed last, under its own heading.
    """
    old, new = (
        record_of(old_version.application, old_version.number),
        record_of(new_version.application, new_version.number),
    )
    groups = []
    for section in new.schema.sections:
        changes = []
        for field in section.fields:
            if field.type == "derived":
                continue  # printed from the account and the submission time, not typed by the applicant
            for cell in field.cells:
                old_cell = old.schema.cells.get(cell.name)
                before = value_text(old, old_cell) if old_cell else EMPTY
                after = value_text(new, cell)
                if before != after:
                    changes.append(_change(cell, before, after))
        if changes:
            groups.append(Group(section.heading, changes))
    dropped = [
        _change(cell, value_text(old, cell), EMPTY)
        for name, cell in old.schema.cells.items()
        if name not in new.schema.cells and cell.field.type != "derived" and value_text(old, cell) != EMPTY
    ]
    if dropped:
        groups.append(Group(DROPPED_HEADING, dropped))
    return groups


def compare_attachments(old_version, new_version):
    """Files added, removed or replaced, slot by slot in the newer schema's order. Same content = unchanged."""
    schema, old_schema = new_version.schema, old_version.schema
    order = {slot.key: n for n, slot in enumerate(schema.slots)}
    slots = sorted(
        {item["slot"] for item in [*old_version.attachments, *new_version.attachments]},
        key=lambda key: (order.get(key, len(order)), key),
    )
    changes = []
    for key in slots:
        slot = schema.slot(key) or old_schema.slot(key)
        label = slot.label if slot else key
        before = [_file(item) for item in old_version.attachments if item["slot"] == key]
        after = [_file(item) for item in new_version.attachments if item["slot"] == key]
        kept = {f.sha256 for f in before} & {f.sha256 for f in after}
        removed = [f for f in before if f.sha256 not in kept]
        added = [f for f in after if f.sha256 not in kept]
        # A new file under the same name is a new edition of that file; otherwise pair them in order.
        for old in list(removed):
            twin = next((f for f in added if f.name == old.name), None)
            if twin:
                changes.append(AttachmentChange("replaced", label, old, twin))
                removed.remove(old)
                added.remove(twin)
        for old, new in zip(removed, added, strict=False):
            changes.append(AttachmentChange("replaced", label, old, new))
        pairs = min(len(removed), len(added))
        changes.extend(AttachmentChange("removed", label, old=f) for f in removed[pairs:])
        changes.extend(AttachmentChange("added", label, new=f) for f in added[pairs:])
    return changes


def changed_since_return(application):
    """(the version the reviewer returned, the latest version) when a newer version was submitted since."""
    returned = _last_return(application.transitions.all())
    latest = application.latest_version
    if returned is None or returned.version is None or latest is None:
        return None
    if latest.number <= returned.version.number:
        return None
    return returned.version, latest


def versions_to_compare(application, from_number=None, to_number=None):
    """The two versions to compare, oldest first, and whether the numbers asked for were unusable.

    Numbers of existing, different versions are used as asked; one missing is filled in (the version
    before, or the latest). Otherwise: the versions since the last return, or the last two.
    None when the application has fewer than two versions.
    """
    versions = {v.number: v for v in application.versions.select_related("submitted_by")}
    if len(versions) < 2:
        return None
    asked = from_number is not None or to_number is not None
    latest = max(versions)
    if from_number is None and to_number in versions:
        from_number = max((n for n in versions if n < to_number), default=None)
    if to_number is None and from_number in versions:
        to_number = latest
    if from_number in versions and to_number in versions and from_number != to_number:
        low, high = sorted((from_number, to_number))
        return versions[low], versions[high], False
    pair = changed_since_return(application)
    if pair is None:
        previous = max(n for n in versions if n < latest)
        pair = versions[previous], versions[latest]
    return versions[pair[0].number], versions[pair[1].number], asked


def comparison(application, old, new):
    """What changed from version `old` to version `new`, with every 退回修改 that came between them."""
    returns = (
        application.transitions.filter(
            to_status=Status.RETURNED,
            action__in=RETURN_ACTIONS,
            version__number__gte=old.number,
            version__number__lt=new.number,
        )
        .select_related("actor", "actor__region", "version")
        .order_by("at", "pk")
    )
    return Comparison(
        application=application,
        old=old,
        new=new,
        groups=compare(old, new),
        attachments=compare_attachments(old, new),
        returns=[Return(t, _office(t)) for t in returns],
        schema_differs=old.schema_digest != new.schema_digest,
        notes=tuple(
            application.transitions.filter(
                action=ActionCode.RESUBMIT, version__number__gt=old.number, version__number__lte=new.number
            )
            .exclude(reason="")
            .select_related("version")
            .order_by("at", "pk")
        ),
    )


def value_text(record, cell):
    """A cell's value as the reviewer reads it; （空） when nothing was entered."""
    value = record.data.get(cell.name)
    if value is None or value == "" or value == []:
        return EMPTY
    if cell.kind == "rows":
        return _rows_text(cell.field, value) or EMPTY
    return cell_text(record, cell) or EMPTY


def cell_label(cell):
    """The cell's full label as a reviewer reads it: year, row and unit included."""
    field = cell.field
    if field.type == "matrix":  # 2023年国家标准主持数量 (项)
        return with_unit(cell.label, field.unit)
    if field.type == "named_count":
        if cell.part == "count":
            return f"{field.label}：数量" + (f"（{field.unit}）" if field.unit else "")
        return f"{field.label}：名称"
    if field.type == "text_group":
        return cell.label  # the chapter's outline heading; the section heading names the chapter
    # The caption where the short label is ambiguous (联系人 of whom); the unit as the 申请报告 adds it,
    # unless the group already names it: 资金情况（万元）：年度资金总额.
    label = field.message_label
    if field.type in UNIT_TYPES and f"（{field.unit}" not in field.group:
        label = with_unit(label, field.unit)
    if cell.year:
        label = f"{cell.year}年{label}"
    if field.group:
        label = f"{field.group}：{label}"
    return label


def _change(cell, before, after):
    choice = cell.field.type in {"choice", "yes_no", "yes_no_na", "accept"}
    long = not choice and (cell.kind in LONG_KINDS or max(len(before), len(after)) > LONG_CHARS)
    if not long or EMPTY in (before, after):
        return Change(cell_label(cell), before, after, long)
    old_marks, new_marks = marks(before, after)
    return Change(cell_label(cell), before, after, long, old_marks, new_marks)


def marks(before, after):
    """Both texts as ((changed, text), ...): the passages removed from `before` and added in `after`."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    ops = matcher.get_opcodes()
    old: list[tuple[bool, str]] = []
    new: list[tuple[bool, str]] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        inner = 0 < n < len(ops) - 1
        changed = tag != "equal" or (inner and i2 - i1 < MIN_EQUAL_RUN)
        _append(old, changed, before[i1:i2])
        _append(new, changed, after[j1:j2])
    return tuple(old), tuple(new)


def _append(parts, changed, text):
    if not text:
        return
    if parts and parts[-1][0] == changed:
        parts[-1] = (changed, parts[-1][1] + text)
    else:
        parts.append((changed, text))


def _rows_text(field, rows):
    """绩效指标-style rows, one per line: 产出指标／数量指标／新增规上企业／≥10家."""
    q = field.qualitative
    target_keys = {q["column"], q["numeric"], q["unit"]} if q else set()
    lines: list[str] = []
    for row in rows:
        if not isinstance(row, dict) or not any(row.values()):
            continue
        parts = [str(row[c["key"]]) for c in field.columns if c["key"] not in target_keys and row.get(c["key"])]
        if q:
            sign = row.get(q["column"], "")
            target = row.get(q["numeric"], "")
            if sign != q["value"]:  # 定性 targets are words; the others read 符号 指标值 计量单位
                target = f"{sign}{target}{row.get(q['unit'], '')}"
            if target:
                parts.append(str(target))
        lines.append(f"{len(lines) + 1}. " + "／".join(parts))
    return "\n".join(lines)


def _file(item):
    return FileRef(item.get("id"), item.get("name", ""), item.get("size", 0), item.get("sha256", ""))


def _last_return(transitions):
    return (
        transitions.filter(to_status=Status.RETURNED, action__in=RETURN_ACTIONS)
        .select_related("version")
        .order_by("-at", "-pk")
        .first()
    )


def _office(transition):
    if transition.actor_role == Role.DEPARTMENT:
        return "自治区工业和信息化厅"
    region = transition.actor.region
    return region.bureau_name if region else Role(transition.actor_role).label

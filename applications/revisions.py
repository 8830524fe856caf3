"""Moving the records applicants may still edit to a newer schema revision of their call, keeping every answer.

When the 自治区 publishes a new revision, each draft and each application returned for revision answers
it from then on; submitted versions keep the revision they pinned. Nothing typed is dropped: an answer
the new revision no longer asks stays in the record (and in the data of its next version) though no form
shows it, and an answer the new rules refuse stays where it is, marked next to its field. Each move
records what no longer fits, for the applicant and for the official who published.
"""

from django.db import transaction
from django.utils import timezone

from applications.models import Application, SchemaMove
from applications.records import answered, attachment_counts, context_of
from calls.schema import validate
from calls.schema.report import BLOCK, INVALID

REMOVED = "新版本已不再填报此项；原填内容已保留，但不再显示和审核。"
SLOT_REMOVED = "新版本已取消此附件类别；已上传的文件保留，但不再随申报书提交。"
SHOWN_CHARS = 60


def move(application, revision, user=None, now=None):
    """Move an application the applicant may edit to `revision` of its call; the SchemaMove, or None
    when it is already there or no longer editable (its versions keep theirs)."""
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if app.schema_revision_id == revision.pk or not app.is_editable:
            return None
        old, new = app.schema, revision.schema_at(app.call.year)
        misfits, added = _misfits(app, old, new), _added(old, new)
        defaults = {f.key: f.default for f in new.fields.values() if f.default and not app.data.get(f.key)}
        moved_from = app.schema_revision_id
        app.schema_revision = revision
        fields = ["schema_revision", "updated_at"]
        if defaults:
            # A new field with a default gets it, as a new application would; open tabs learn of it on
            # their next save (applications/autosave.py) like any change made elsewhere.
            app.edit_version += 1
            app.data.update(defaults)
            app.cell_versions.update(dict.fromkeys(defaults, app.edit_version))
            fields += ["data", "cell_versions", "edit_version"]
        app.save(update_fields=fields)
        return SchemaMove.objects.create(
            application=app,
            from_revision_id=moved_from,
            to_revision=revision,
            moved_at=now or timezone.now(),
            moved_by=user,
            misfits=misfits,
            added=added,
        )


def move_all(call, revision, user=None, now=None):
    """Every application of `call` the applicant may still edit, moved to `revision`: their SchemaMoves."""
    editable = call.applications.editable().exclude(schema_revision=revision)
    moves = (move(app, revision, user, now) for app in editable.order_by("pk"))
    return [m for m in moves if m is not None]


def preview(call, revision):
    """What publishing `revision` would do, without doing it: (applications to move, of them with misfits)."""
    editable = call.applications.editable().exclude(schema_revision=revision)
    new = revision.schema_at(call.year)
    moving, misfitting = 0, 0
    for app in editable.select_related("call", "organisation", "lead_region"):
        moving += 1
        misfitting += bool(_misfits(app, app.schema, new))
    return moving, misfitting


def _misfits(app, old, new):
    """Answers `new` no longer asks, answers its rules refuse that `old` accepted, files in dropped slots."""
    found = []
    for name, value in app.data.items():
        cell = old.cells.get(name)
        if name not in new.cells and cell is not None and cell.field.type != "derived" and answered(value):
            found.append(_misfit(name, cell.label, old.section_title(cell.section), value, REMOVED, section_key=""))
    context = context_of(app)
    refused_before = {p.cell for p in validate(old, app.data, context).problems if p.kind in (INVALID, BLOCK)}
    for problem in validate(new, app.data, context).problems:
        if problem.kind in (INVALID, BLOCK) and problem.cell not in refused_before and problem.cell in new.cells:
            cell = new.cells[problem.cell]
            value = app.data.get(problem.cell)
            title = new.section_title(cell.section)
            found.append(_misfit(problem.cell, cell.label, title, value, problem.message, section_key=cell.section))
    for slot_key, count in attachment_counts(app).items():
        if new.slot(slot_key) is None and old.slot(slot_key) is not None:
            slot = old.slot(slot_key)
            found.append(_misfit(slot_key, slot.label, "附件材料", f"{count} 个文件", SLOT_REMOVED, section_key=""))
    return found


def _added(old, new):
    return [
        {"label": cell.label, "section": new.section_title(cell.section)}
        for name, cell in new.cells.items()
        if name not in old.cells and cell.field.type != "derived"
    ]


def _misfit(cell, label, section, value, reason, section_key):
    """One answer that no longer fits; `section_key` names the page it can be corrected on ("" when no page
    asks it any more)."""
    return {
        "cell": cell,
        "label": label,
        "section": section,
        "section_key": section_key,
        "value": _shown(value),
        "reason": reason,
    }


def _shown(value):
    if isinstance(value, list):
        text = f"{len(value)} 行" if value and isinstance(value[0], dict) else "、".join(map(str, value))
    else:
        text = str(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…"

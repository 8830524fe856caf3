"""Saving typed cells with an edit-version check, so no tab or colleague silently overwrites another.

Each cell remembers the edit version that last changed it. A save carries the version its page
knew; a cell someone else changed since then is a conflict, and nothing in that save is written.
Cells changed elsewhere but not in this save come back as updates for the page to show.

A save is worked out on the application as the caller read it and, when it changes something,
written by one UPDATE that applies only while the row still has the edit version and the state that
were read (a compare-and-swap): no transaction is held open and no row stays locked while Python
works. Every other outcome — nothing to write, a conflict, a refusal, or an UPDATE that found the row
changed because someone saved, submitted or withdrew in between — is worked out again on the row
read under its lock, so every answer is what a save that locked first would have given.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from applications import deadlines
from applications.models import Application
from calls.schema.values import Invalid, normalise


class NotEditable(Exception):
    pass


@dataclass
class SaveResult:
    version: int
    values: dict = field(default_factory=dict)  # what was sent, in stored form
    updates: dict = field(default_factory=dict)  # cells others changed since the page's version
    conflicts: dict = field(default_factory=dict)  # cell -> the value now on the server
    rejected: dict = field(default_factory=dict)  # cell -> why it could not be stored at all
    # The record as this save left it, so the caller need not read it again.
    data: dict = field(default_factory=dict)
    cell_versions: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.conflicts


def saveable_cells(schema):
    return {name: cell for name, cell in schema.cells.items() if cell.field.type != "derived"}


def save_cells(application, changes, base_version, force=(), now=None):
    """Store `changes` ({cell: value}) made on top of `base_version` into `application` (read with its call).

    `application` may be a moment old: nothing is written or answered unless the row is still as read.
    On success its data, cell versions and edit version are the saved ones.
    """
    try:
        result, changed = _work_out(application, changes, base_version, force, now)
    except NotEditable:
        result, changed = None, None
    if changed and _swap(application, result):
        _keep(application, result)
        return result
    # Nothing to write as of that read, or the row moved on since: again on the row as it is now.
    with transaction.atomic():
        # Only the application row is locked (of=self): locking the joined call too would queue every
        # applicant's save behind one row. SQLite locks the whole database for writing instead (IMMEDIATE).
        current = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
        result, changed = _work_out(current, changes, base_version, force, now)
        if changed:
            _keep(current, result).save(update_fields=["data", "cell_versions", "edit_version", "updated_at"])
    if not result.conflicts:
        _keep(application, result)
    return result


def _swap(application, result):
    """Write `result` only if the row still has the edit version and state `application` was read with."""
    unchanged = Application.objects.filter(
        pk=application.pk, edit_version=application.edit_version, status=application.status
    )
    return unchanged.update(
        data=result.data, cell_versions=result.cell_versions, edit_version=result.version, updated_at=timezone.now()
    )


def _keep(application, result):
    """`application` as `result` left it."""
    application.data, application.cell_versions = result.data, result.cell_versions
    application.edit_version = result.version
    return application


def _work_out(app, changes, base_version, force, now):
    """(SaveResult, the cells whose stored value changes) for `changes` applied to `app` as read; writes nothing."""
    if not app.is_editable:
        raise NotEditable("申报书已提交，不能修改。如需修改，请先撤回。")
    if not deadlines.open_for_applicant(app, now):
        raise NotEditable("不在申报时间内，不能修改。")
    cells = saveable_cells(app.schema)
    unknown = sorted(set(changes) - set(cells))
    if unknown:
        raise KeyError(f"未知的填报项：{', '.join(unknown[:5])}")
    values, rejected = {}, {}
    for name, raw in changes.items():
        try:
            values[name] = normalise(cells[name], raw)
        except Invalid as exc:
            rejected[name] = str(exc)
    stored, versions = app.data, app.cell_versions
    conflicts = {
        name: stored.get(name, "")
        for name, value in values.items()
        if versions.get(name, 0) > base_version and name not in force and stored.get(name, "") != value
    }
    updates = {name: stored.get(name, "") for name, v in versions.items() if v > base_version and name not in values}
    if conflicts:
        return SaveResult(app.edit_version, updates=updates, conflicts=conflicts, rejected=rejected), {}
    changed = {name: value for name, value in values.items() if stored.get(name, "") != value}
    version = app.edit_version + 1 if changed else app.edit_version
    result = SaveResult(
        version,
        values=values,
        updates=updates,
        rejected=rejected,
        data={**stored, **changed},
        cell_versions={**versions, **dict.fromkeys(changed, version)},
    )
    return result, changed

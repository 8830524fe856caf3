"""Saving typed cells with an edit-version check, so no tab or colleague silently overwrites another.

Each cell remembers the edit version that last changed it. A save carries the version its page
knew; a cell someone else changed since then is a conflict, and nothing in that save is written.
Cells changed elsewhere but not in this save come back as updates for the page to show.
"""

from dataclasses import dataclass, field

from django.db import transaction

from applications.models import Application
from calls import deadlines
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
    # The record as this save left it (read under the lock), so the caller need not read it again.
    data: dict = field(default_factory=dict)
    cell_versions: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.conflicts


def saveable_cells(schema):
    return {name: cell for name, cell in schema.cells.items() if cell.field.type != "derived"}


def save_cells(application_id, changes, base_version, force=(), now=None):
    """Store `changes` ({cell: value}) made on top of `base_version`. Runs in one transaction."""
    with transaction.atomic():
        # Only the application row is locked (of=self): the call is read with it for its schema and window,
        # but locking it too would queue every applicant's save behind one row (PostgreSQL locks every
        # joined row by default). SQLite locks the whole database for writing instead (IMMEDIATE).
        app = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application_id)
        if not app.is_editable:
            raise NotEditable("申报书已提交，不能修改。如需修改，请先撤回。")
        if not deadlines.open_for_applicant(app, now):
            raise NotEditable("不在申报时间内，不能修改。")
        cells = saveable_cells(app.call.schema)
        unknown = sorted(set(changes) - set(cells))
        if unknown:
            raise KeyError(f"未知的填报项：{', '.join(unknown[:5])}")
        values, rejected = {}, {}
        for name, raw in changes.items():
            try:
                values[name] = normalise(cells[name], raw)
            except Invalid as exc:
                rejected[name] = str(exc)
        conflicts = {
            name: app.data.get(name, "")
            for name, value in values.items()
            if app.cell_versions.get(name, 0) > base_version and name not in force and app.data.get(name, "") != value
        }
        updates = {
            name: app.data.get(name, "")
            for name, version in app.cell_versions.items()
            if version > base_version and name not in values
        }
        if conflicts:
            return SaveResult(app.edit_version, updates=updates, conflicts=conflicts, rejected=rejected)
        changed = {name: value for name, value in values.items() if app.data.get(name, "") != value}
        if changed:
            app.edit_version += 1
            for name, value in changed.items():
                app.data[name] = value
                app.cell_versions[name] = app.edit_version
            app.save(update_fields=["data", "cell_versions", "edit_version", "updated_at"])
        return SaveResult(
            app.edit_version,
            values=values,
            updates=updates,
            rejected=rejected,
            data=app.data,
            cell_versions=app.cell_versions,
        )

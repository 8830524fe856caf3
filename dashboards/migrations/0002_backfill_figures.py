"""Writes the figures of every version submitted before dashboards.models existed.

Self-contained (it once called dashboards.store, whose rows have changed since): the statistics
cells of each application's latest version, from the schema file its call named then.
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import migrations

SCALE = 6


def _number(raw):
    if raw in (None, "", "无") or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def backfill(apps, schema_editor):
    from calls.schema import load_schema

    Version = apps.get_model("applications", "Version")
    SubmittedFigures = apps.get_model("dashboards", "SubmittedFigures")
    FigureValue = apps.get_model("dashboards", "FigureValue")
    latest, cells_of = {}, {}
    for version in Version.objects.select_related("application__call").order_by("application_id", "number"):
        latest[version.application_id] = version
    for version in latest.values():
        call = version.application.call
        if call.pk not in cells_of:
            schema = load_schema(call.schema_code, call.year)
            cells_of[call.pk] = [
                cell.name for group in schema.statistics for f in group.figures for cell in schema.fields[f.key].cells
            ]
        data = version.data
        SubmittedFigures.objects.create(
            application_id=version.application_id,
            version_id=version.pk,
            version_number=version.number,
            cluster_name=str(data.get("cluster_name") or ""),
            industry_type=str(data.get("industry_type") or ""),
            stamp=secrets.randbits(63),
        )
        for cell in cells_of[call.pk]:
            value = _number(data.get(cell))
            if value is not None:
                FigureValue.objects.create(
                    application_id=version.application_id,
                    call_id=call.pk,
                    cell=cell,
                    raw=str(data.get(cell)),
                    scaled=int(value.scaleb(SCALE).quantize(1, rounding=ROUND_HALF_UP)),
                )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_figures")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Writes the figures of every version submitted before dashboards.models existed (dashboards/store.py)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from calls.schema import load_schema
    from dashboards import store

    def schema_of(version):
        call = version.application.call
        return load_schema(call.schema_code, call.year)

    store.rebuild(
        apps.get_model("applications", "Version").objects.all(),
        summaries=apps.get_model("dashboards", "SubmittedFigures"),
        values=apps.get_model("dashboards", "FigureValue"),
        schema_of=schema_of,
    )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_figures")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

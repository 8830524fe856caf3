"""Every application answers a stored schema revision, and every submitted version pins the one it answered.

A version is pinned only to a revision with the very digest it recorded at submission; one submitted
under an earlier text of the schema file keeps no revision and is refused rather than shown with
another (`manage.py attach_schema_revision` stores the old text, found in the repository's history).
"""

import django.db.models.deletion
from django.db import migrations, models


def pin(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    Application = apps.get_model("applications", "Application")
    Version = apps.get_model("applications", "Version")
    SchemaRevision = apps.get_model("calls", "SchemaRevision")
    for call in Call.objects.all():
        revision = SchemaRevision.objects.get(pk=call.current_revision_id)
        Application.objects.filter(call=call).update(schema_revision=revision)
        Version.objects.filter(application__call=call, schema_digest=revision.digest).update(schema_revision=revision)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_participating_regions"),
        ("calls", "0005_schema_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="schema_revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="calls.schemarevision",
                verbose_name="申报书结构版本",
            ),
        ),
        migrations.AddField(
            model_name="version",
            name="schema_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="calls.schemarevision",
            ),
        ),
        migrations.RunPython(pin, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="application",
            name="schema_revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="calls.schemarevision",
                verbose_name="申报书结构版本",
            ),
        ),
    ]

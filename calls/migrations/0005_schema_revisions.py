"""Schemas become immutable revisions stored in the database: each call's repository file is its first.

A call pointed to a file under calls/schemas/ by `schema_code`; the file could change under submitted
versions. Now the text is stored, with its SHA-256, and the call points to its current revision.
"""

import hashlib
from pathlib import Path

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def store_revisions(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    SchemaRevision = apps.get_model("calls", "SchemaRevision")
    now = django.utils.timezone.now()
    for call in Call.objects.all():
        path = SCHEMA_DIR / f"{call.schema_code}.yaml"
        source = path.read_text(encoding="utf-8")
        revision = SchemaRevision.objects.create(
            call=call,
            number=1,
            source=source,
            digest=hashlib.sha256(source.encode("utf-8")).hexdigest(),
            origin=f"数据迁移：calls/schemas/{path.name}",
            published_at=now,
        )
        Call.objects.filter(pk=call.pk).update(current_revision=revision)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0004_stage_deadlines"),
        # The figures backfill reads Call.schema_code, which this migration replaces by revisions.
        ("dashboards", "0002_backfill_figures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SchemaRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="版本号")),
                ("source", models.TextField(verbose_name="结构文本（YAML）")),
                ("digest", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("origin", models.CharField(max_length=200, verbose_name="来源")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="创建时间")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布时间")),
                (
                    "call",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="revisions",
                        to="calls.call",
                        verbose_name="申报批次",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发布人",
                    ),
                ),
            ],
            options={
                "verbose_name": "申报书结构版本",
                "verbose_name_plural": "申报书结构版本",
                "ordering": ["call", "number"],
                "base_manager_name": "objects",
                "constraints": [
                    models.UniqueConstraint(fields=("call", "number"), name="one_revision_number_per_call")
                ],
            },
        ),
        migrations.AddField(
            model_name="call",
            name="current_revision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="calls.schemarevision",
                verbose_name="当前申报书结构",
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="number_prefix",
            field=models.CharField(blank=True, max_length=6, verbose_name="申报编号前缀"),
        ),
        migrations.AddField(
            model_name="call",
            name="is_example",
            field=models.BooleanField(default=False, verbose_name="示例批次"),
        ),
        migrations.AddField(
            model_name="call",
            name="copied_from",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="calls.call",
                verbose_name="复制自",
            ),
        ),
        migrations.RunPython(store_revisions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="call", name="schema_code"),
    ]

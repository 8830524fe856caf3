"""The 2024 cluster call (申报指南（四）), unpublished until its windows are set."""

from pathlib import Path

from django.db import migrations

GUIDE = Path(__file__).resolve().parent.parent / "guides" / "2024-cluster-guide.txt"


def create(apps, schema_editor):
    apps.get_model("calls", "Call").objects.update_or_create(
        code="cluster-2024",
        defaults={
            "name": "2024年内蒙古自治区先进制造业集群申报",
            "year": 2024,
            "guide_title": "2024年内蒙古自治区先进制造业集群申报指南",
            "guide_text": GUIDE.read_text(encoding="utf-8"),
        },
    )


def remove(apps, schema_editor):
    apps.get_model("calls", "Call").objects.filter(code="cluster-2024").delete()


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]

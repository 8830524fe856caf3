"""The 12 盟市 and the two cities that recommend on their own, with GB/T 2260 codes."""

from django.db import migrations

LEAGUE_CITIES = [
    ("150100", "呼和浩特市"),
    ("150200", "包头市"),
    ("150300", "乌海市"),
    ("150400", "赤峰市"),
    ("150500", "通辽市"),
    ("150600", "鄂尔多斯市"),
    ("150700", "呼伦贝尔市"),
    ("150800", "巴彦淖尔市"),
    ("150900", "乌兰察布市"),
    ("152200", "兴安盟"),
    ("152500", "锡林郭勒盟"),
    ("152900", "阿拉善盟"),
]
DIRECT_CITIES = [
    ("150781", "满洲里市", "150700"),
    ("152501", "二连浩特市", "152500"),
]


def load(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    for code, name in LEAGUE_CITIES:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "kind": "league_city", "bureau_name": f"{name}工业和信息化局"}
        )
    for code, name, parent_code in DIRECT_CITIES:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": "direct_city",
                "parent": Region.objects.get(code=parent_code),
                "bureau_name": f"{name}工业和信息化局",
            },
        )


def unload(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    Region.objects.filter(code__in=[code for code, *_ in DIRECT_CITIES]).delete()
    Region.objects.filter(code__in=[code for code, _ in LEAGUE_CITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

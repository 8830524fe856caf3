"""A call loaded from a repository file gets that file's newer text as a new, unpublished revision.

calls/schemas/cluster_2024.yaml gained the guide's 表一 refusals, computed figures beside the field and
settings for experts, 会签 and the decision (issue 20). A database migrated before keeps answering its
revision 1, as it must: a published revision never changes. This stores the file as the next revision,
not published, so the 自治区 sees it under 申报书结构, compares it with the current one and publishes it
(authoring/editing.py publish: drafts move with their SchemaMove and the applicants are told). On a new
database revision 1 is already the file, and nothing is stored.
"""

import hashlib
from pathlib import Path

from django.db import migrations

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
FROM_FILE = "数据迁移：calls/schemas/"


def store_newer_files(apps, schema_editor):
    SchemaRevision = apps.get_model("calls", "SchemaRevision")
    for first in SchemaRevision.objects.filter(number=1, origin__startswith=FROM_FILE):
        path = SCHEMA_DIR / first.origin.removeprefix(FROM_FILE)
        if not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        revisions = SchemaRevision.objects.filter(call_id=first.call_id)
        if revisions.filter(digest=digest).exists():
            continue
        newest = revisions.order_by("-number").first()
        SchemaRevision.objects.create(
            call_id=first.call_id,
            number=newest.number + 1,
            source=source,
            digest=digest,
            origin=f"{FROM_FILE}{path.name}（更新，待发布）",
        )


class Migration(migrations.Migration):
    dependencies = [("calls", "0005_schema_revisions")]

    operations = [migrations.RunPython(store_newer_files, migrations.RunPython.noop)]

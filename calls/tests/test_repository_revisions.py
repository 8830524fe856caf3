"""A database migrated before the repository's schema file changed gets the file as a new revision to publish;
the published one is left as it was (calls/migrations/0006)."""

import hashlib
import importlib

import pytest
from django.apps import apps

from calls.models import Call, SchemaRevision

migration = importlib.import_module("calls.migrations.0006_repository_schema_revisions")
pytestmark = pytest.mark.django_db


def run():
    migration.store_newer_files(apps, None)


def test_a_new_database_stores_nothing_more_since_revision_1_is_the_file():
    before = SchemaRevision.objects.count()
    run()
    assert SchemaRevision.objects.count() == before


def test_an_older_stored_text_gets_the_file_as_the_next_revision_unpublished():
    call = Call.objects.get(code="cluster-2024")
    first = call.revisions.get(number=1)
    file_text = first.source
    SchemaRevision.objects.filter(pk=first.pk).update(source="旧文本", digest="0" * 64)  # as migrated in 2024

    run()
    run()  # once only

    newer = call.revisions.get(number=2)
    assert newer.source == file_text
    assert newer.digest == hashlib.sha256(file_text.encode()).hexdigest()
    assert newer.published_at is None
    assert newer.origin == "数据迁移：calls/schemas/cluster_2024.yaml（更新，待发布）"
    assert call.revisions.count() == 2
    call.refresh_from_db()
    assert call.current_revision_id == first.pk  # published only by the 自治区


def test_a_database_that_stored_an_earlier_file_as_revision_2_gets_the_changed_file_as_revision_3():
    """0006 ran in an earlier release; the file changed since (the guide's notes), and 0007 stores it."""
    call = Call.objects.get(code="cluster-2024")
    first = call.revisions.get(number=1)
    file_text = first.source
    SchemaRevision.objects.filter(pk=first.pk).update(source="2024年的文本", digest="0" * 64)
    SchemaRevision.objects.create(call=call, number=2, source="上一版本的文本", digest="1" * 64, origin=first.origin)

    next_release = importlib.import_module("calls.migrations.0007_repository_schema_guide_notes")
    next_release.Migration.operations[0].code(apps, None)

    newest = call.revisions.get(number=3)
    assert newest.source == file_text and newest.published_at is None

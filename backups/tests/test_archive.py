"""End to end: back up a reviewed application, wipe the instance, restore, and get the same records back."""

import hashlib
import io
import json
import shutil
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from applications.models import Application, Attachment, Version
from audit.chain import verify
from audit.log import record
from audit.models import AuditEntry
from notifications.models import Notification
from reviews import initial_review
from reviews.models import Recommendation, SiteVisitPhoto
from tests import factories


@pytest.fixture
def reviewed(media, call, bureau):
    """A submitted 包头 application with its evidence, site-visited and recommended with a sealed file."""
    app = factories.submitted_application("150200")
    photos = [factories.upload("现场.png")]
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "现场核实一致。", photos)
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    record("export", user=bureau, obj=app, detail={"format": "xlsx"})
    return app


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(media_root):
    """What must come back identical: rows, version hashes, the bytes of every stored file, the chain."""
    files = [*Attachment.objects.all(), *SiteVisitPhoto.objects.all(), *Recommendation.objects.all()]
    return {
        "applications": list(Application.objects.order_by("pk").values()),
        "versions": list(Version.objects.order_by("pk").values("pk", "number", "content_hash", "data")),
        "files": {row.file.name: sha256(media_root / row.file.name) for row in files},
        "notifications": list(Notification.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("seq").values_list("seq", "hash")),
    }


def wipe(media_root):
    connection.check_constraints()  # PostgreSQL's TRUNCATE refuses while deferred checks are pending
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()


def test_restore_into_an_empty_instance_gives_back_the_same_records_files_and_audit_chain(reviewed, media, tmp_path):
    before = snapshot(media)
    assert before["versions"] and before["notifications"] and len(before["files"]) >= 3
    chain = verify()
    assert chain.ok and chain.count >= 2
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    wipe(media)
    assert not Application.objects.exists() and not list(media.iterdir())

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert snapshot(media) == before
    restored = verify()
    assert restored.ok and restored.tail_hash == chain.tail_hash and restored.count == chain.count
    assert "审计日志完整" in out.getvalue()


def test_backup_manifest_lists_a_checksum_for_every_member_and_the_migration_state(reviewed, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        for name, entry in manifest["members"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == entry["sha256"]
    assert manifest["migrations"]["applications"].startswith("0")
    assert any(name.startswith("media/reviews/") for name in manifest["members"])


def tamper(archive, member):
    """Rewrite `archive` with one byte of `member` flipped, the manifest left as it was."""
    tampered = archive.with_name("tampered.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for info in source:
            content = source.extractfile(info).read()
            if info.name == member:
                content = bytes([content[0] ^ 0xFF]) + content[1:]
            target.addfile(info, io.BytesIO(content))
    return tampered


def test_an_archive_with_one_changed_byte_is_refused_naming_the_member(reviewed, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    member = "media/" + Attachment.objects.first().file.name
    wipe(media)

    with pytest.raises(CommandError, match=f"校验和不符.*{member}"):
        call_command("restore", str(tamper(archive, member)), stdout=io.StringIO())
    assert not Application.objects.exists() and not list(media.iterdir())


def test_restoring_into_a_database_with_users_or_applications_is_refused(reviewed, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    count = Application.objects.count()

    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Application.objects.count() == count


def test_an_archive_from_another_migration_state_is_refused(reviewed, media, tmp_path, monkeypatch):
    archive = tmp_path / "backup.tar.gz"
    monkeypatch.setattr("backups.archive.migration_state", lambda: {"applications": "9999_future"})
    call_command("backup", output=str(archive), stdout=io.StringIO())
    monkeypatch.undo()
    wipe(media)

    with pytest.raises(CommandError, match="迁移状态"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_generated_export_jobs_and_their_files_stay_out_of_the_archive(reviewed, media, tmp_path):
    from django.core.files.base import ContentFile

    from documents.models import DocumentJob

    job = DocumentJob.objects.create(
        kind="summary_pdf", owner=reviewed.created_by, title="汇总表", filename="汇总表.pdf"
    )
    job.file.save("summary.pdf", ContentFile(b"%PDF-1.4 derived"), save=True)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        members = json.load(tar.extractfile("manifest.json"))["members"]
        data = json.load(tar.extractfile("data.json"))
    assert not any(row["model"] == "documents.documentjob" for row in data)
    assert not any(name.endswith(job.file.name) for name in members)


def test_a_stored_official_pdf_comes_back_byte_identical_with_its_row(reviewed, media, tmp_path):
    """The official PDFs (documents/official.py) are records, not derived exports: signed once, never remade."""
    from documents.models import OfficialDocument
    from documents.tests.official import stored

    content = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
    row = stored(reviewed.latest_version, "report", content)
    before = list(OfficialDocument.objects.values())
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    wipe(media)

    call_command("restore", str(archive), stdout=io.StringIO())

    assert list(OfficialDocument.objects.values()) == before
    assert (media / row.file.name).read_bytes() == content
    assert hashlib.sha256((media / row.file.name).read_bytes()).hexdigest() == row.sha256

"""One backup archive: the whole database and every stored file, with a manifest of SHA-256 checksums.

The archive is a .tar.gz holding `data.json` (every row of every model, fields as stored, datetimes to the
microsecond so the audit chain's hashes still hold), `media/<name>` for every file a FileField refers to
(read and written through the file storage, so a local folder and S3-compatible object storage back up
alike), and `manifest.json` (checksums, the migration state, the time). `write()` reads everything inside
one transaction — REPEATABLE READ on PostgreSQL, a single read transaction on SQLite — so rows and files
agree. `restore()` checks the archive whole before it touches anything, and loads it in one transaction.
"""

import datetime
import decimal
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "shenbao-backup/1"
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
# Sessions are not kept: a restored instance must not let yesterday's logins back in. Document export
# jobs are neither: their files are derived from the records, expire within a day, and may be cleaned
# away while a backup is being written.
EXCLUDED = {"sessions.session", "documents.documentjob"}


class BackupError(Exception):
    """Why this backup or restore may not go on, as one sentence for the operator."""


def archived_models():
    """Every concrete model whose rows go into the archive, in an order that loads (parents first)."""
    chosen = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in EXCLUDED and not m._meta.proxy and m._meta.managed and not m._meta.swapped
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def migration_state():
    """The latest applied migration of each app: a restore is refused unless the two sides agree."""
    latest = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        latest[app_label] = max(name, latest.get(app_label, ""))
    return dict(sorted(latest.items()))


def _encode(value):
    # DjangoJSONEncoder drops microseconds; the audit hashes cover them, so keep full ISO 8601.
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"不能写入备份的值：{value!r}")


def _file_names(model):
    fields = [f for f in model._meta.local_fields if isinstance(f, models.FileField)]
    for field in fields:
        for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
            if name:
                yield name


def _safe_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"文件名不安全：{name}")
    return path


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add(tar, arcname, path, members):
    members[arcname] = {"sha256": _sha256_file(path), "size": Path(path).stat().st_size}
    tar.add(str(path), arcname=arcname, recursive=False)


def _fetch(name, into):
    """Copy the stored file `name` into the local path `into`; False when the storage has no such file."""
    try:
        source = default_storage.open(name, "rb")
    except FileNotFoundError:
        return False
    with source, open(into, "wb") as handle:
        shutil.copyfileobj(source, handle, 1 << 20)
    return True


def write(output):
    """Write the archive to `output` and return its manifest."""
    members = {}
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(output, "w:gz") as tar:
        data_path = Path(scratch) / DATA
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            rows = 0
            names = set()
            with open(data_path, "w", encoding="utf-8") as handle:
                handle.write("[\n")
                for model in archived_models():
                    queryset = model._base_manager.order_by(model._meta.pk.name)
                    for obj in serializers.serialize("python", queryset.iterator(chunk_size=2000)):
                        handle.write(",\n" if rows else "")
                        handle.write(json.dumps(obj, default=_encode, ensure_ascii=False))
                        rows += 1
                    names.update(_file_names(model))
                handle.write("\n]\n")
            state = migration_state()
            _add(tar, DATA, data_path, members)
            missing = []
            copy = Path(scratch) / "file"
            for name in sorted(names):
                _safe_name(name)
                if not _fetch(name, copy):
                    missing.append(name)
                    continue
                _add(tar, MEDIA_PREFIX + name, copy, members)
                copy.unlink()
            if missing:
                raise BackupError(f"数据库引用的 {len(missing)} 个文件不存在，备份未完成：{', '.join(missing[:5])}")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "rows": rows,
            "migrations": state,
            "members": members,
        }
        encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(encoded), int(timezone.now().timestamp())
        tar.addfile(info, io.BytesIO(encoded))
    return manifest


def _unpack(archive, into):
    """Extract every member into `into`, checking it against the manifest; return the manifest."""
    found = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"备份中有非文件成员：{member.name}")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(source.read().decode("utf-8"))
                    continue
                target = Path(into) / _safe_name(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as handle:
                    shutil.copyfileobj(source, handle)
                found[member.name] = _sha256_file(target)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError("备份中没有可识别的 manifest.json。")
    expected = {name: entry["sha256"] for name, entry in manifest["members"].items()}
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            raise BackupError(f"备份不完整：缺少 {name}。")
        if name not in expected:
            raise BackupError(f"备份中有清单之外的成员：{name}。")
        if found[name] != expected[name]:
            raise BackupError(f"校验和不符，备份已损坏或被篡改：{name}。")
    return manifest


def _ensure_empty():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    application_model = apps.get_model("applications", "Application")
    if user_model._base_manager.exists() or application_model._base_manager.exists():
        raise BackupError("目标数据库不是空的（已有用户或申报），拒绝恢复。请恢复到新建并已迁移的实例。")


def _load(rows, model_list):
    """Replace the tables with the archived rows: what migrations seeded (regions, calls) is archived too."""
    tables = [m._meta.db_table for m in model_list]
    # Many-to-many tables Django made itself are no model of their own; their rows ride on the parent's.
    tables += [
        f.remote_field.through._meta.db_table
        for m in model_list
        for f in m._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]
    # Rows never archived (sessions, export jobs) are emptied too: an export job points at a user, and
    # PostgreSQL will not truncate the users under it.
    tables += [apps.get_model(label)._meta.db_table for label in sorted(EXCLUDED)]
    # PostgreSQL will not TRUNCATE a table with deferred foreign-key checks pending: settle them first.
    connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=False):
            cursor.execute(sql)
        # raw saves skip the models' own save(): audit entries and versions are written as they were.
        deferred = []
        for obj in serializers.deserialize("python", rows, handle_forward_references=True):
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)
    connection.check_constraints(table_names=tables)
    ContentType.objects.clear_cache()


def restore(archive):
    """Load `archive` into this empty, migrated instance; return its manifest. Nothing changes on refusal."""
    with tempfile.TemporaryDirectory() as scratch:
        manifest = _unpack(archive, scratch)
        if manifest["migrations"] != migration_state():
            raise BackupError("备份的迁移状态与本实例不一致，拒绝恢复；请先把代码和迁移切换到备份时的版本。")
        with open(Path(scratch) / DATA, encoding="utf-8") as handle:
            rows = json.load(handle)
        written = []
        try:
            with transaction.atomic():
                _ensure_empty()
                _load(rows, archived_models())
                for name in manifest["members"]:
                    if not name.startswith(MEDIA_PREFIX):
                        continue
                    target = str(_safe_name(name.removeprefix(MEDIA_PREFIX)))
                    # The rows name exactly this file: a leftover of the same name is replaced, not renamed.
                    default_storage.delete(target)
                    with open(Path(scratch) / name, "rb") as handle:
                        stored = default_storage.save(target, File(handle))
                    written.append(stored)
                    if stored != target:
                        raise BackupError(f"文件存储把 {target} 存成了 {stored}，拒绝恢复。")
        except BaseException:
            for stored in written:
                default_storage.delete(stored)
            raise
    return manifest

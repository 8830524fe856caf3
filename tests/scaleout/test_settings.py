"""The scale-out switches in shenbao/settings.py: files to object storage and cache and sessions to Redis,
set by the environment alone, and refused when half set."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRINT = (
    "import json, shenbao.settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'cache': s.CACHES['default'], 'session': s.SESSION_ENGINE}))"
)
SCALE_OUT = ("SHENBAO_STORAGE", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "REDIS_URL", "AWS_DEFAULT_ACL")


def load(tmp_path, **env):
    """shenbao.settings as a fresh process with `env` sees it: (values, error output)."""
    base = {k: v for k, v in os.environ.items() if k not in SCALE_OUT}
    result = subprocess.run(  # noqa: S603  (a fixed command line)
        [sys.executable, "-c", PRINT],
        cwd=settings.BASE_DIR,
        env={**base, "SHENBAO_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (json.loads(result.stdout) if result.returncode == 0 else None), result.stderr


def test_one_server_keeps_files_on_disk_and_sessions_in_the_database(tmp_path):
    values, _ = load(tmp_path)
    assert values["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["session"] == "django.contrib.sessions.backends.db"


def test_a_bucket_name_puts_files_in_private_object_storage(tmp_path):
    values, _ = load(tmp_path, AWS_STORAGE_BUCKET_NAME="shenbao-files", AWS_S3_ENDPOINT_URL="http://minio:9000")
    storage = values["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "shenbao-files" and options["endpoint_url"] == "http://minio:9000"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert "access_key" not in options and "secret_key" not in options  # keys only from the environment


def test_object_storage_without_a_bucket_refuses_to_start(tmp_path):
    values, error = load(tmp_path, SHENBAO_STORAGE="s3")
    assert values is None and "AWS_STORAGE_BUCKET_NAME" in error
    values, error = load(tmp_path, SHENBAO_STORAGE="nfs")
    assert values is None and "SHENBAO_STORAGE must be local or s3" in error


def test_redis_url_shares_cache_and_sessions(tmp_path):
    values, _ = load(tmp_path, REDIS_URL="redis://10.0.0.5:6379/2")
    assert values["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["cache"]["LOCATION"] == "redis://10.0.0.5:6379/2"
    assert values["session"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_postgresql_connections_do_not_compile_queries_just_in_time(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

"""Files on S3-compatible object storage (SHENBAO_STORAGE=s3): stored, streamed back after scoping, backed up.

Runs against moto's S3 server over HTTP on loopback, the way the app talks to AWS S3 or MinIO.
"""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Attachment
from audit.chain import verify
from reviews import initial_review
from reviews.models import Recommendation, SiteVisitPhoto
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_upload_lands_in_the_bucket_and_downloads_only_through_the_scoped_view(s3, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = factories.submitted_application("150200")
    attachment = Attachment.objects.filter(application=app).first()
    assert attachment.file.name in s3.keys()
    assert s3.read(attachment.file.name) == attachment.file.open("rb").read()
    assert not (tmp_path / "media").exists()  # nothing on the app server's own disk

    url = reverse("applications:download", args=[attachment.pk])
    client.force_login(app.created_by)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == attachment.sha256
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(factories.user(Role.BUREAU, region_code="150500"))  # another 盟市
    assert client.get(url).status_code == 404

    s3.client().delete_object(Bucket=s3.bucket, Key=attachment.file.name)
    client.force_login(app.created_by)
    assert client.get(url).status_code == 404  # a lost object is 附件文件不存在, not a server error


def test_backup_and_restore_read_and_write_the_bucket(s3, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="包头审核员")
    factories.open_call()
    app = factories.submitted_application("150200")
    photos = [factories.upload("现场.png")]
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "一致。", photos)
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    rows = [*Attachment.objects.all(), *SiteVisitPhoto.objects.all(), *Recommendation.objects.all()]
    files = {row.file.name: s3.read(row.file.name) for row in rows}
    assert len(files) >= 3 and set(files) == set(s3.keys())

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        for name, content in files.items():
            assert tar.extractfile(f"media/{name}").read() == content
            assert manifest["members"][f"media/{name}"]["sha256"] == hashlib.sha256(content).hexdigest()

    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    client = s3.client()
    for name in files:
        client.delete_object(Bucket=s3.bucket, Key=name)
    assert s3.keys() == []

    call_command("restore", str(archive), stdout=io.StringIO())
    assert {name: s3.read(name) for name in s3.keys()} == files  # the same names, so the rows still find them
    assert verify().ok
    assert not (tmp_path / "media").exists()


def test_a_backup_stops_when_the_bucket_lost_a_file(s3, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = factories.submitted_application("150200")
    lost = Attachment.objects.filter(application=app).first().file.name
    s3.client().delete_object(Bucket=s3.bucket, Key=lost)
    with pytest.raises(Exception, match="不存在") as refused:
        call_command("backup", output=str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())
    assert lost in str(refused.value)


@pytest.fixture
def redis_sessions(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "t"}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def test_sessions_are_read_from_redis_and_survive_losing_it(redis_sessions, client):
    user = factories.user(Role.APPLICANT)
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 200
    session_key = client.cookies["sessionid"].value
    assert any(session_key in key.decode() for key in redis_sessions.keys("*"))  # served from Redis

    redis_sessions.flushall()  # Redis restarted, or evicted the session under memory pressure
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200 and response.wsgi_request.user == user  # still signed in (cached_db)

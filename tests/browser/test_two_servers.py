"""Two app servers behind one address: every request may land on either, and nothing notices (docs/deployment.md).

Two real gunicorn processes (gunicorn.conf.py, two workers each) on two ports share one PostgreSQL
database, files on an S3-compatible endpoint (moto) and cache and sessions in one Redis — the
production scale-out mode, configured only through the environment. One browser alternates between
them: cookies belong to the host, not the port, so 127.0.0.1:A and 127.0.0.1:B share the session
cookie exactly as two servers behind one reverse proxy do. The applicant signs in on A, autosaves on
B, uploads on A, downloads on B and submits on A; signing out on B ends the session on A; the 盟市
types its password on A and binds its authenticator on B, reads the notification on B, records the
site visit (a photo) on A and recommends (a sealed file) on B; failed logins on A and B count
towards one lockout.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from applications.models import Application, Attachment, Status
from reviews.models import Recommendation, SiteVisitPhoto
from security import policy
from shenbao import settings as project_settings
from tests import factories
from tests.browser.conftest import bind_authenticator, sign_in, sign_out
from tests.scaleout.services import free_port, redis_server, s3_endpoint

BASE_DIR = Path(django_settings.BASE_DIR)
SAVED = re.compile(r"^已保存")
START_TIMEOUT = 90  # seconds for a gunicorn master to load Django and answer


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _wait_until_up(process, url, log):
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=10) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"应用服务器 {url} 未能启动：\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.3)


@pytest.fixture
def servers(transactional_db, reference_rows, settings, tmp_path):
    """(A, B, s3, redis_url): two gunicorn servers on the test database, sharing the bucket and Redis."""
    if connection.vendor != "postgresql":
        why = "两台应用服务器须共用一个 PostgreSQL 数据库：用 DATABASE_URL=postgres://… 运行（SQLite 只供单机）"
        # `make test-two-servers` (and so CI) sets this: there, a run that proves nothing must fail.
        if os.environ.get("SHENBAO_REQUIRE_TWO_SERVERS") == "1":
            pytest.fail(why)
        pytest.skip(why)
    # The servers run the project's settings, whose hashers do not include the suite's fast one (conftest.py).
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    factories.put_back(reference_rows)
    with s3_endpoint() as s3, redis_server(tmp_path) as redis_url:
        # This process writes the test's own files (the evidence made below) to the same bucket.
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage()}
        env = {
            **os.environ,
            **s3.env(),
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "SECRET_KEY": django_settings.SECRET_KEY,  # one key for all servers: sessions are signed with it
            "SHENBAO_VAR_DIR": str(tmp_path / "var"),
            "SHENBAO_MEDIA_ROOT": str(tmp_path / "local-media"),  # must stay empty: files go to the bucket
            "DEBUG": "0",
            "GUNICORN_WORKERS": "2",
        }
        started, urls = [], []
        try:
            for name in ("a", "b"):
                port = free_port()
                urls.append(f"http://127.0.0.1:{port}")
                log = tmp_path / f"gunicorn-{name}.log"
                with open(log, "wb") as out:
                    process = subprocess.Popen(  # noqa: S603  (a fixed command line)
                        [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "gunicorn.conf.py")],
                        cwd=BASE_DIR,
                        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                started.append(process)
                _wait_until_up(process, urls[-1], log)
            yield urls[0], urls[1], s3, redis_url
            assert not (tmp_path / "local-media").exists() or not any((tmp_path / "local-media").rglob("*"))
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)


@pytest.fixture
def cast(servers):
    call = factories.open_call()
    applicant = factories.user(Role.APPLICANT, region_code="150200", full_name="包头申报人")
    app = factories.application(applicant, call, data={**factories.application_defaults(), **demo.COMPLETE})
    slot = next(s for s in call.schema.slots if s.required)
    factories.attach_required(app, applicant, skip={slot.key})  # the last one is uploaded through a server
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    mistyper = factories.user(Role.APPLICANT, region_code="150500")
    return app, slot, bureau, mistyper


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def at(page, server):
    page.base_url = server
    return page


def test_the_workflow_alternating_between_two_app_servers(page, servers, cast):
    a, b, s3, redis_url = servers
    app, slot, bureau, mistyper = cast
    applicant = app.created_by

    # 1. Signed in on A; B knows the session (Redis), and the autosave there lands in the shared database.
    sign_in(at(page, a), applicant.username, factories.PASSWORD)
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    shared = redis.Redis.from_url(redis_url)
    assert [key for key in shared.scan_iter("shenbao:*") if session_key.encode() in key]  # the session is in Redis
    shared.close()
    page.goto(f"{b}/applications/{app.pk}/section/industry/")
    field = page.locator('[name="output__2023"]')
    expect(field).to_have_value("1402.60")
    field.fill("1450.80")
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    assert Application.objects.get(pk=app.pk).data["output__2023"] == "1450.80"

    # 2. Uploaded on A: the file is in the bucket, not on A's disk.
    content = demo.demo_pdf("two servers")
    page.goto(f"{a}/applications/{app.pk}/attachments/")
    box = page.locator(f"#slot-{slot.key}")
    box.locator('input[type="file"]').last.set_input_files(
        {"name": "两台服务器.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    box.get_by_role("button", name="上传").click()
    expect(page.locator(f"#slot-{slot.key}")).to_contain_text("两台服务器.pdf")
    stored = Attachment.objects.active().get(application=app, slot=slot.key)
    assert s3.read(stored.file.name) == content

    # 3. Downloaded on B, streamed from the bucket after scoping.
    page.goto(f"{b}/applications/{app.pk}/attachments/")
    with page.expect_download() as download:
        page.locator(f"#slot-{slot.key}").get_by_role("link", name="两台服务器.pdf").click()
    assert Path(download.value.path()).read_bytes() == content

    # 4. Submitted on A.
    page.goto(f"{a}/applications/{app.pk}/check/")
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_role("heading", name=re.compile("申报回执"))).to_be_visible()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED

    # 5. Signed out on B: A no longer accepts the session either.
    page.goto(f"{b}/")
    with page.expect_navigation():
        sign_out(page)
    page.goto(f"{a}/applications/{app.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # 6. The 盟市 types its password on A and binds its authenticator on B (the half-signed-in state is shared).
    page.goto(f"{a}/accounts/login/")
    page.get_by_label("账号").fill(bureau.username)
    page.get_by_label("密码").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/setup/"))
    page.goto(f"{b}/accounts/2fa/setup/")
    bind_authenticator(page)
    with page.expect_navigation():
        page.get_by_role("link", name="我已妥善保存，继续").click()

    # 7. The notification, read on B, leads to the review page.
    page.goto(f"{b}/notifications/")
    notice = page.locator(".notification", has_text=f"{applicant.organisation.name}提交了申报书，待初审")
    with page.expect_navigation():
        notice.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{b}/reviews/{app.pk}/")

    # 8. Site visit recorded on A with a photo; the recommendation with its sealed file on B.
    page.goto(f"{a}/reviews/{app.pk}/")
    page.get_by_label("核实日期").fill(timezone.localdate().isoformat())
    page.get_by_label("核实人员").fill("王伟、赵敏")
    page.get_by_label("核实情况").fill("现场查看主要企业生产经营情况，统计数据与申报材料一致。")
    page.get_by_label("现场照片").set_input_files(
        {"name": "现场.png", "mimeType": "image/png", "buffer": factories.PNG_1PX}
    )
    page.get_by_role("button", name="保存核实记录").click()
    expect(page.locator("#site-visits, .site-visits").first).to_contain_text("王伟、赵敏")
    photo = SiteVisitPhoto.objects.get(site_visit__application=app)
    assert s3.read(photo.file.name) == factories.PNG_1PX

    page.goto(f"{b}/reviews/{app.pk}/")
    page.get_by_label("推荐意见").fill("经实地核实，申报材料真实，同意推荐。")
    sealed = demo.demo_pdf("recommendation")
    page.get_by_label("盖章的推荐文件").set_input_files(
        {"name": "推荐文件.pdf", "mimeType": "application/pdf", "buffer": sealed}
    )
    page.get_by_role("button", name="确认推荐").click()
    expect(page.locator(".page-header")).to_contain_text("待自治区受理")
    assert s3.read(Recommendation.objects.get(application=app).file.name) == sealed
    page.goto(f"{a}/reviews/{app.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="推荐文件.pdf").first.click()
    assert Path(download.value.path()).read_bytes() == sealed
    with page.expect_download() as download:
        page.get_by_role("link", name="现场.png").first.click()
    assert Path(download.value.path()).read_bytes() == factories.PNG_1PX
    with page.expect_navigation():
        sign_out(page)

    # 9. Failed logins on A and B count towards one lockout (django-axes keeps them in the database).
    limit = policy.current().login_failure_limit
    for attempt in range(limit):
        page.goto(f"{(a, b)[attempt % 2]}/accounts/login/")
        page.get_by_label("账号").fill(mistyper.username)
        page.get_by_label("密码").fill("Wrong#Password1")
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()
        if attempt < limit - 1:
            expect(page.get_by_text("账号或密码错误")).to_be_visible()
    expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()
    for server in (a, b):  # the right password is refused on both now
        page.goto(f"{server}/accounts/login/")
        page.get_by_label("账号").fill(mistyper.username)
        page.get_by_label("密码").fill(factories.PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="账号已锁定")).to_be_visible()

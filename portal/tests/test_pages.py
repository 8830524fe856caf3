import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import Organisation, Role, User
from calls.models import Call
from documents.signing import self_signed_certificate
from tests import factories

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def open_call(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Call.objects.get(code="cluster-2024")


def page_of(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_the_open_call_and_ways_in(client, open_call):
    page = client.get("/").content.decode()
    assert "2024年内蒙古自治区先进制造业集群申报" in page
    assert "申报中" in page
    assert reverse("accounts:register") in page and reverse("accounts:login") in page


def test_approved_applicant_sees_its_slot_for_the_open_call(client, open_call, applicant):
    page = page_of(client, applicant)
    assert applicant.organisation.name in page
    assert "2024年内蒙古自治区先进制造业集群申报" in page
    assert "本单位申报状态" in page
    assert "剩余时间" in page and "还剩" in page


def test_pending_applicant_is_told_who_reviews_it(client, open_call, make_user):
    pending = make_user(Role.APPLICANT, organisation_obj=factories.organisation(status=Organisation.Status.PENDING))
    page = page_of(client, pending)
    assert "正在等待" in page and "包头市工业和信息化局" in page
    assert "本单位申报状态" not in page


def test_bureau_home_lists_pending_registrations_of_its_region_only(client, bureau):
    mine = factories.organisation("150200", status=Organisation.Status.PENDING, name="包头待审促进会")
    factories.organisation("150500", status=Organisation.Status.PENDING, name="通辽待审促进会")
    page = page_of(client, bureau)
    assert mine.name in page and "通辽待审促进会" not in page
    assert reverse("accounts:organisation_detail", args=[mine.pk]) in page


@pytest.mark.parametrize(
    "role, sentence",
    [
        (Role.DEPARTMENT, "盟市工信局推荐的申报材料将显示在这里"),
        (Role.EXPERT, "分配给您的申报将显示在这里"),
        (Role.SYSTEM_ADMIN, "新建工作人员账号"),
        (Role.SECURITY_ADMIN, "连续 5 次失败锁定账号"),
        (Role.AUDIT_ADMIN, "成功登录"),
    ],
)
def test_every_staff_role_has_a_home_saying_what_appears_there(client, make_user, role, sentence):
    assert sentence in page_of(client, make_user(role))


def test_audit_admin_sees_login_records(client, applicant, make_user):
    client.post(reverse("accounts:login"), {"username": applicant.username, "password": "wrong"})
    page = page_of(client, make_user(Role.AUDIT_ADMIN))
    assert applicant.username in page


def test_navigation_offers_only_pages_the_role_may_open(client, make_user):
    for role in Role:
        user = make_user(role)
        client.force_login(user)
        page = client.get(reverse("portal:home")).content.decode()
        for href in re.findall(r'<nav class="site-nav".*?</nav>', page, re.S):
            for url in re.findall(r'href="([^"]+)"', href):
                assert client.get(url).status_code == 200, (role, url)


def test_security_headers_on_every_page(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in strict.get(reverse("accounts:login")).content.decode()
    response = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已失效" in response.content.decode()


def test_templates_have_no_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if template.is_relative_to(ROOT / "templates" / "print"):
            # Rendered to PDF by WeasyPrint, never served to a browser, so the CSP does not apply;
            # still nothing from the network (WeasyPrint is only allowed data: URLs).
            assert "http://" not in text and "https://" not in text, template
            continue
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert " style=" not in text and "<style" not in text, template
        assert "http://" not in text and "https://" not in text, f"{template} must not load from the network"


def test_pages_are_chinese(client):
    assert '<html lang="zh-Hans">' in client.get(reverse("accounts:login")).content.decode()
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_is_plain_and_chinese(client):
    from portal.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "系统繁忙" in response.content.decode()


def test_seed_demo_is_idempotent_and_prints_one_account_per_role(db):
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo", stdout=second)
    assert (User.objects.count(), Organisation.objects.count()) == counts
    for role in Role:
        assert role.label in second.getvalue()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Call.objects.get(code="cluster-2024").phase() == Call.Phase.OPEN


def _manage(*args, **env):
    test_only = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SHENBAO_SITE_URL")
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "SHENBAO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-check-deploy-0123456789",
    "ALLOWED_HOSTS": "shenbao.example.gov.cn",
}


@pytest.fixture(scope="module", autouse=True)
def production_signing(tmp_path_factory):
    """Production refuses to start without the certificate that signs the official PDFs (documents.E001), or
    with the demo one (documents.E002): here a self-signed stand-in for the department's own."""
    folder = tmp_path_factory.mktemp("production-signing")
    key, cert = self_signed_certificate("内蒙古自治区工业和信息化厅申报平台", "内蒙古自治区工业和信息化厅")
    (folder / "key.pem").write_bytes(key)
    (folder / "cert.pem").write_bytes(cert)
    PRODUCTION_ENV.update(SHENBAO_SIGNING_KEY=str(folder / "key.pem"), SHENBAO_SIGNING_CERT=str(folder / "cert.pem"))
    yield
    del PRODUCTION_ENV["SHENBAO_SIGNING_KEY"], PRODUCTION_ENV["SHENBAO_SIGNING_CERT"]


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SHENBAO_SIGNING_KEY", "SHENBAO_SIGNING_CERT"])
def test_production_refuses_to_start_without_its_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_seed_demo_refuses_to_run_in_production():
    result = _manage("seed_demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never runs in production" in result.stderr


def test_production_refuses_a_wildcard_host_as_the_address_printed_in_qr_codes():
    result = _manage("check", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": ".example.gov.cn"})
    assert result.returncode != 0 and "SHENBAO_SITE_URL" in result.stderr
    named = _manage(
        "check", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "*", "SHENBAO_SITE_URL": "https://sb.example.gov.cn"}
    )
    assert named.returncode == 0, named.stderr

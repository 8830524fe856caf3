"""What a browser receives from the production configuration: HSTS, secure cookies, CSP, no debug pages."""

import json

import pytest

from portal.tests.test_pages import PRODUCTION_ENV, _manage

# Runs inside `manage.py shell` under SHENBAO_ENV=production and prints what the login page sent.
PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
# Only the static file names differ from a deployment (no collectstatic here); headers are untouched.
plain_static = {
    **settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
with override_settings(STORAGES=plain_static):
    page = client.get("/accounts/login/", secure=True, HTTP_HOST="shenbao.example.gov.cn")
    plain = client.get("/accounts/login/", HTTP_HOST="shenbao.example.gov.cn")
    missing = client.get("/no-such-page/", secure=True, HTTP_HOST="shenbao.example.gov.cn")
cookie = page.cookies["csrftoken"]
print(json.dumps({
    "debug": settings.DEBUG,
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": {
        "secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]), "samesite": cookie["samesite"]
    },
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "plain_redirect": [plain.status_code, plain.headers.get("Location")],
    "missing": [missing.status_code, missing.content.decode()],
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    # DEBUG=1 in the environment must not switch debug pages on in production.
    var = tmp_path_factory.mktemp("production-var")
    result = _manage("shell", "-c", PROBE, **PRODUCTION_ENV, DEBUG="1", SHENBAO_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_never_shows_debug_pages(production):
    assert production["debug"] is False
    status, body = production["missing"]
    assert status == 404
    assert "页面不存在" in body and "URLconf" not in body and "Traceback" not in body


def test_production_sends_hsts_and_redirects_plain_http_to_https(production):
    assert production["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert production["plain_redirect"] == [301, "https://shenbao.example.gov.cn/accounts/login/"]


def test_production_cookies_are_secure_and_out_of_reach_of_scripts(production):
    assert production["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert production["session_cookie_secure"] is True


def test_production_pages_forbid_inline_script_framing_and_sniffing(production):
    headers = production["headers"]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"

"""Fixtures shared by every app's tests."""

import functools
import sys

import pytest
import weasyprint
import weasyprint.document
from django.core import serializers
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from regions import names as region_names
from security import policy as saved_policy
from tests import factories

# Hypothesis's clocks (a deadline per example, "input generation is slow") measure the machine, not the code:
# with two xdist workers on a busy 2-core runner they fail at random. The examples stay random, as many as
# each test asks for.
hypothesis_settings.register_profile("shenbao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("shenbao")


# --- Coverage measures the project, not the libraries it calls ---
# Under coverage every line of Python runs through its tracer, measured or not: WeasyPrint's pure-Python page
# layout, which most document tests spend their time in, ran about 60 % slower for lines nobody measures.
# While WeasyPrint lays out a PDF the calling thread's tracer is set aside and then put back (sys.gettrace and
# sys.settrace, the interface coverage itself documents); other threads and the project's own lines are traced.


def _untraced(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        tracer = sys.gettrace()
        if tracer is None:
            return function(*args, **kwargs)
        sys.settrace(None)
        try:
            return function(*args, **kwargs)
        finally:
            sys.settrace(tracer)

    return call


weasyprint.HTML.render = _untraced(weasyprint.HTML.render)
weasyprint.document.Document.write_pdf = _untraced(weasyprint.document.Document.write_pdf)


@pytest.fixture
def make_user(db):
    return factories.user


@pytest.fixture
def make_organisation(db):
    return factories.organisation


@pytest.fixture
def applicant(db):
    return factories.user(Role.APPLICANT)


@pytest.fixture
def department(db):
    """A 自治区工信厅 official."""
    return factories.user(Role.DEPARTMENT)


@pytest.fixture
def bureau(db):
    return factories.user(Role.BUREAU, region_code="150200", full_name="包头审核员")


@pytest.fixture
def call(db):
    return factories.open_call()


@pytest.fixture
def draft(applicant, call):
    """An empty draft application of `applicant` for the open 2024 call."""
    return factories.application(applicant, call)


@pytest.fixture
def ready(draft, applicant, media):
    """`draft` filled in completely, with every required evidence file attached: it can be submitted."""
    from tests.application_data import complete_data

    draft.data = complete_data(draft.call.schema)
    draft.save()
    factories.attach_required(draft, applicant)
    return draft


@pytest.fixture
def demo_submitted(draft, applicant, settings, tmp_path):
    """The demo's complete 包头 application with its evidence, submitted once as 第1版."""
    from applications import demo, submission

    settings.MEDIA_ROOT = tmp_path
    draft.data.update(demo.COMPLETE)
    draft.save()
    factories.attach_required(draft, applicant)
    submission.submit(draft, applicant)
    draft.refresh_from_db()
    return draft


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 spends about a second of CPU on each password on a busy machine, as it should, and the suite
    signs in and changes passwords hundreds of times: tests hash with MD5. The project's hashers stay in
    the list, so a hash they made still verifies; accounts/tests/test_login_security.py checks that the
    project itself stores Argon2."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """The security policy, the 盟市 names and the revision digests (by id) are kept per process, and the
    dashboards keep what they last computed in the cache: a test's changes must not outlive its rollback.

    The built schemas stay: they are kept by the SHA-256 of their text, which no rollback can make name
    another schema, and building the 2024 call's again costs a tenth of a second in nearly every test. A
    test of what a fresh process does calls `loader.forget()` itself (documents/tests/test_pinning.py)."""
    from django.core.cache import cache

    from calls.models import forget_revisions
    from regions import names
    from security import policy

    policy.forget()
    names.forget()
    forget_revisions()
    cache.clear()
    yield
    policy.forget()
    names.forget()
    forget_revisions()
    cache.clear()


@pytest.fixture
def security_policy(db):
    """Set the runtime security policy (security.models.SecurityPolicy): security_policy(upload_max_mb=1)."""
    from security import policy

    def set_policy(**values):
        row = policy.editable()
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean(exclude=["updated_by"])
        row.save()
        policy.forget()
        return row

    return set_policy


@pytest.fixture(scope="session", autouse=True)
def _media_root_of_the_run(tmp_path_factory):
    """Files a test stores without asking for `media` land in a temporary folder of this run (of this xdist
    worker), never in a developer's var/media, which a test must not fill nor read from."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, removed after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


_PUT_BACK = pytest.StashKey()


@pytest.fixture(scope="session", autouse=True)
def reference_rows(request, django_db_setup, django_db_blocker):
    """The rows the data migrations create (the 盟市, the 2024 call and its schema revision), captured before
    any test runs; `tests.factories.put_back` restores them.

    Transactional tests (the browser tests, a concurrency test) end by flushing the database; they
    put these back from here. Captured at the start, so a flush earlier in the run cannot empty it.
    """
    from django.db import connection

    from calls.models import Call, SchemaRevision
    from regions.models import Region

    with django_db_blocker.unblock():
        if Region._meta.db_table not in connection.introspection.table_names():
            return "[]"  # no test in this run uses the database, so pytest-django created none
        models = (Region, Call, SchemaRevision)
        rows = serializers.serialize("json", [obj for model in models for obj in model.objects.order_by("pk")])

    def put_back():
        with django_db_blocker.unblock():
            factories.put_back(rows)

    request.config.stash[_PUT_BACK] = put_back
    return rows


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the data migrations' rows go back before the next test starts.

    Run in one process, pytest-django puts transactional tests last, so no ordinary test ever met an
    empty 盟市 table; an xdist worker may go on from one to an ordinary test (worksteal hands it the tail
    of another worker's queue), which needs them. After a process's last test there is no next one, and
    the session's teardown has just destroyed the test database."""
    yield
    if nextitem is None:
        return
    marker = item.get_closest_marker("django_db")
    flushed = {"transactional_db", "live_server"} & set(item.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if flushed and _PUT_BACK in item.config.stash:
        item.config.stash[_PUT_BACK]()


# --- The second factor (动态口令, docs/two-factor.md) ---


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "password_only: force_login signs in with the password step alone; the test handles the second factor",
    )


@pytest.fixture(autouse=True)
def _force_login_completes_second_factor(request, monkeypatch):
    """`client.force_login(user)` signs in fully: staff (who must use the second factor) and applicants
    who opted in also pass it, honestly, through their own device. `@pytest.mark.password_only` keeps
    the plain password-step session so a test can prove what the middleware refuses."""
    if request.node.get_closest_marker("password_only"):
        return
    from django.test.client import ClientMixin

    from accounts import two_factor
    from tests.otp import complete_second_factor

    password_step = ClientMixin.force_login

    def force_login(self, user, backend=None):
        password_step(self, user, backend)
        if two_factor.is_required(user) or two_factor.is_enrolled(user):
            complete_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


# --- Signing the official PDFs (documents/signing.py) ---


@pytest.fixture(autouse=True)
def _no_signing_material(settings):
    """Nothing is signed unless a test asks for `signing`: a developer's var/signing/ (made by `make run`)
    must not change what the suite does or how long it takes."""
    settings.SHENBAO_SIGNING_KEY = ""
    settings.SHENBAO_SIGNING_CERT = ""
    settings.SHENBAO_SIGNING_KEY_PASSPHRASE = ""
    settings.SHENBAO_SIGNING_CHAIN = ""


@pytest.fixture(scope="session")
def signing_files(tmp_path_factory):
    """A self-signed test key and certificate, made once per run: key.pem and cert.pem in one folder."""
    from documents.signing import demo_certificate

    folder = tmp_path_factory.mktemp("signing")
    key, cert = demo_certificate()
    (folder / "key.pem").write_bytes(key)
    (folder / "cert.pem").write_bytes(cert)
    return folder


@pytest.fixture
def signing(settings, signing_files):
    """Official PDFs are signed with the run's test certificate; returns the folder holding it."""
    settings.SHENBAO_SIGNING_KEY = str(signing_files / "key.pem")
    settings.SHENBAO_SIGNING_CERT = str(signing_files / "cert.pem")
    return signing_files


@pytest.fixture
def steady_query_counts(monkeypatch):
    """For tests that count a page's queries. Two things a page reads are refreshed on a clock: the
    idle-timeout stamp (accounts/middleware.py) is rewritten when 15 s pass between requests, and each
    process re-reads the security policy and the 盟市 names when its copy is some seconds old
    (shenbao/lib/process_cache.py). A loaded machine can take that long between a warm-up request and
    the one counted, adding a query to it. Held for the test, the count is the page's own."""
    monkeypatch.setattr("accounts.middleware.STAMP_EVERY_SECONDS", 24 * 3600)
    for kept in (saved_policy._saved, region_names._names):
        monkeypatch.setattr(kept, "_seconds", 24 * 3600)

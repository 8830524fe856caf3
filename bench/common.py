"""What the load benchmarks share: a throwaway database, the app under gunicorn, a browser-like client.

`configure()` must run before anything imports a model: it points the settings at a fresh
temporary folder (SQLite file, media, secret key) or at a freshly created PostgreSQL database
(`--database-url`; dropped again at exit, and never the database named `test`), then migrates.
`Server` runs the real WSGI app under gunicorn on loopback with the same environment; `Applicant`
signs in through the real login form and keeps its own cookies, as one browser would.
"""

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Every generated applicant's password (argon2-hashed once, see bench/data.py); a throwaway database's.
PASSWORD = "Bench#Pass2024"  # noqa: S105


def configure(database_url=None):
    """Throwaway settings for this process and the servers it starts; returns a label for the database."""
    sys.path.insert(0, str(ROOT))
    var = tempfile.mkdtemp(prefix="shenbao-bench-")
    atexit.register(shutil.rmtree, var, True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "shenbao.settings"
    os.environ["SHENBAO_VAR_DIR"] = var
    # Development settings with DEBUG off: no query log kept in memory, as in production; production
    # mode itself needs HTTPS-only cookies, which a loopback benchmark cannot send.
    os.environ["DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        _recreate_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if database_url:
        from django.db import connection

        return f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _recreate_postgres(url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"bench_[a-z0-9_]+", name):
        raise SystemExit(
            f"refusing database {name!r}: the benchmark creates and drops it, so its name must start with bench_"
        )
    admin = url.rsplit("/", 1)[0] + "/postgres"

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    atexit.register(drop)


def default_workers():
    return 2 * (os.cpu_count() or 1) + 1


class Server:
    """The project's WSGI app under gunicorn on a free loopback port; its log is kept to look for errors."""

    def __init__(self, workers=None, threads=1):
        self.workers = workers or default_workers()
        self.threads = threads
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ["SHENBAO_VAR_DIR"]) / f"gunicorn-{self.port}.log"

    def __enter__(self):
        from django.db import connections

        connections.close_all()  # the workers open their own
        command = [sys.executable, "-m", "gunicorn"]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["-c", str(ROOT / "gunicorn.conf.py")]  # the production settings, then ours on top
        command += [
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread" if self.threads > 1 else "sync",
            "--error-logfile",
            str(self.log),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "shenbao.wsgi:application",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_errors(self):
        """Lines of the server's log that report a failure (tracebacks, "database is locked")."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [
            line for line in text.splitlines() if re.search(r"Traceback|locked|Error|CRITICAL|WORKER TIMEOUT", line)
        ]


def approved_organisations(regions, indexes):
    """Approved 申报单位 number i for each i in `indexes`, placed round-robin over `regions`; one bulk insert."""
    from accounts.models import Organisation
    from tests.factories import credit_code

    placed = [(i, regions[i % len(regions)]) for i in indexes]
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"{region.name}第{i + 1}产业集群促进会",
            credit_code=credit_code(region.code),
            legal_representative="王建国",
            address=f"内蒙古自治区{region.name}测试路 {i + 1} 号",
            region=region,
            contact_name="李晓燕",
            contact_mobile="13904720001",
            email="contact@example.com",
            status=Organisation.Status.APPROVED,
        )
        for i, region in placed
    )


def percentile(samples, p):
    """The p-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(latencies, errors, seconds):
    """rps, p50/p95/p99 in ms, error count of one measured run."""
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "errors": errors}
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "max": max(latencies) * 1000,
        "errors": errors,
    }


def median_of(runs):
    """Per figure, the median over repeated runs (errors: the total, so none is hidden)."""
    out = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "errors"}
    out["errors"] = sum(run["errors"] for run in runs)
    return out


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_ATTR = re.compile(r'data-version="(\d+)"')


class Applicant:
    """One person in one browser: its own cookie jar and session, signed in through the login form."""

    def __init__(self, base_url, username, application_id):
        import aiohttp

        self.base = base_url
        self.username = username
        self.application_id = application_id
        # One connection per applicant, like a browser tab keeping its connection open.
        self.http = aiohttp.ClientSession(
            base_url,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for a bare IP address (loopback)
            connector=aiohttp.TCPConnector(limit=1, force_close=False),
            timeout=aiohttp.ClientTimeout(total=60),
        )
        self.csrf = ""

    async def page(self, path):
        async with self.http.get(path, allow_redirects=False) as response:
            text = await response.text()
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}")
            found = CSRF_INPUT.search(text)
            if found:
                self.csrf = found.group(1)
            return text

    async def login(self):
        await self.page("/accounts/login/")
        form = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf, "next": "/"}
        headers = {"Referer": f"{self.base}/accounts/login/"}
        async with self.http.post("/accounts/login/", data=form, headers=headers, allow_redirects=False) as response:
            await response.read()
            if response.status != 302:
                raise RuntimeError(f"{self.username}: login answered {response.status}")

    async def close(self):
        await self.http.close()


@contextlib.contextmanager
def copied_bulk_inserts():
    """On PostgreSQL, every bulk_create in the block goes through COPY: ids first taken from the table's
    sequence (so the objects get their pk, as bulk_create gives them), then one COPY of all the rows.
    Django's bulk INSERT quotes each long JSON answer into a text array in Python, which made loading
    100,000 applications take half an hour; COPY takes a few minutes. Elsewhere, bulk_create as it is."""
    from django.db import connection
    from django.db.models import QuerySet

    if connection.vendor != "postgresql":
        yield
        return
    original = QuerySet.bulk_create

    def bulk_create(queryset, objs, batch_size=None, **options):
        objs = list(objs)
        if options or not objs or queryset.model._meta.parents:
            return original(queryset, objs, batch_size=batch_size, **options)
        opts = queryset.model._meta
        fields = [f for f in opts.concrete_fields if not f.generated]
        table, pk = opts.db_table, opts.pk
        with connection.cursor() as cursor:
            missing = [obj for obj in objs if obj.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk.column, len(missing)],
                )
                for obj, (pk_value,) in zip(missing, cursor.fetchall(), strict=True):
                    obj.pk = pk_value
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        for obj in objs:
            obj._state.adding, obj._state.db = False, queryset.db
        return objs

    QuerySet.bulk_create = bulk_create
    try:
        yield
    finally:
        QuerySet.bulk_create = original

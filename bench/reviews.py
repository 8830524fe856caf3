"""How long the officials' lists and dashboards take as the number of applications grows, and how many queries.

Run: .venv/bin/python bench/reviews.py [--n 1000 10000 100000] [--runs 7] [--explain]
         [--database-url postgres://postgres@127.0.0.1:5432/bench_lists]

Without --database-url it uses a throwaway SQLite database, and goes to 10,000 applications (SQLite
serves one machine's few officials well at that size; 100,000 is PostgreSQL's); with it, it creates that
PostgreSQL database, fills it, and drops it at the end (bench/common.py; its name must start with bench_),
and goes to 100,000. For each N the applications are added in bulk, BATCH at a time (the schema-driven
complete application, figures varied per cluster, one submit transition each, the figures indexed as a
submission indexes them; on PostgreSQL through COPY), then each page is requested once to warm up and
RUNS more times, interleaved with a signed-in `/health/` as the reference of the same moment. The
table gives, per N, the min / median / max server time (the Django test client, in process: no network;
until the response is handed to the server, see Handed), the median's ratio to the reference's, and the
SQL queries of one request; and each N's load average. A cost that grows with N shows as a row whose
ratio grows along it. --explain prints `EXPLAIN (ANALYZE, BUFFERS)` of each list's main query at the
largest N (PostgreSQL).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import approved_organisations, configure, copied_bulk_inserts

RUNS = 7
BATCH = 5000  # applications written at a time: memory stays flat however large N is
# A page measured with the cache emptied before each request: the figure table computed afresh, as for
# a scope nobody has looked at since the cache was emptied (dashboards.figures caches what it computed).
COLD = "cold:"
# A page measured after a submission before each request (one application's figures stamp renewed, as
# a resubmission renews it): the dashboard shows the scope's last figures and computes them once sent.
CHANGED = "changed:"
STATUSES = ("submitted", "recommended", "under_review", "awaiting_decision", "returned", "publicising")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, nargs="+", help="sizes to measure (default 1000 10000, and 100000 on PostgreSQL)"
    )
    parser.add_argument("--database-url", help="a PostgreSQL database to create, fill and drop (name bench_…)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests per page (min / median / max shown)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the lists at the last N")
    args = parser.parse_args()
    args.n = sorted(args.n or ([1000, 10000, 100000] if args.database_url else [1000, 10000]))
    return args


class Applications:
    """Adds submitted applications in bulk: honest rows as a submission leaves them, made fast."""

    def __init__(self):
        from accounts.models import Role, User
        from calls.models import Call
        from regions.models import Region
        from tests.application_data import complete_data

        self.call = Call.objects.get(code="cluster-2024")
        self.call.is_published = True  # the dashboard shows published calls
        self.call.save(update_fields=["is_published"])
        self.schema = self.call.schema
        self.regions = list(Region.objects.order_by("code"))
        self.user = User.objects.create(username="bench", role=Role.DEPARTMENT, full_name="基准测试")
        self.base = complete_data(self.schema)
        from dashboards.store import stat_cells

        self.cells = [self.schema.cells[name] for name in stat_cells(self.schema)]
        self.ids = []

    def figures(self, i):
        """The figures of cluster i: varied, so sorting and medians work as on real data; some 无."""
        rng = random.Random(i)  # noqa: S311 — repeatable figures, not a secret
        values = {}
        for cell in self.cells:
            if cell.kind == "growth":
                values[cell.name] = "无" if rng.random() < 0.05 else f"{rng.uniform(-20, 40):.2f}"
            elif cell.kind == "ratio":
                values[cell.name] = f"{rng.uniform(0, 100):.2f}"
            elif cell.kind == "count":
                values[cell.name] = str(rng.randint(0, 300))
            else:
                values[cell.name] = f"{rng.uniform(10, 3000):.2f}"
        return values

    def grow_to(self, n):
        from django.utils import timezone

        if not hasattr(self, "now"):
            self.now = timezone.now()
        while len(self.ids) < n:
            self._add(min(n, len(self.ids) + BATCH))

    def _add(self, n):
        from django.db import transaction
        from django.utils import timezone

        from applications.models import Application, Transition, Version
        from dashboards import store
        from tests.factories import pinned

        start, now, regions = len(self.ids), self.now, self.regions
        with transaction.atomic(), copied_bulk_inserts():
            organisations = approved_organisations(regions, range(start, n))
            applications = Application.objects.bulk_create(
                Application(
                    call=self.call,
                    schema_revision_id=self.call.current_revision_id,
                    organisation=org,
                    lead_region=org.region,
                    number=f"2024-{org.region.code}-{i // len(regions) + 1:04d}",
                    status=STATUSES[i % len(STATUSES)],
                    data={**self.base, **self.figures(i), "cluster_name": f"{org.region.name}第{i + 1}先进制造业集群"},
                    submitted_at=now,
                    created_by=self.user,
                )
                for i, org in zip(range(start, n), organisations, strict=True)
            )
            versions = Version.objects.bulk_create(
                Version(
                    application=app,
                    number=1,
                    data=app.data,
                    **pinned(self.call),
                    content_hash=f"{app.pk:064x}",
                    submitted_at=now,
                    submitted_by=self.user,
                )
                for app in applications
            )
            Transition.objects.bulk_create(
                Transition(
                    application=app,
                    from_status="draft",
                    to_status="submitted",
                    action="submit",
                    actor=self.user,
                    actor_role="applicant",
                    version=version,
                    at=now - timezone.timedelta(minutes=(app.pk * 7919) % 100000),
                )
                for app, version in zip(applications, versions, strict=True)
            )
            # bulk_create sends no post_save: index the figures as each submission would have.
            store.rebuild(Version.objects.filter(application__in=applications))
        self.ids += [app.pk for app in applications]

    def resubmitted(self):
        """What a resubmission of a 包头-led application changes for the dashboards: its figures stamp."""
        from dashboards.models import SubmittedFigures, new_stamp

        SubmittedFigures.objects.filter(pk=self.ids[1]).update(stamp=new_stamp())


def signed_in_client(user):
    from django.test import Client

    from tests.otp import complete_second_factor

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # Staff pages need the second factor passed (docs/two-factor.md): leave the session as a correct
    # code would, with a bound authenticator of this official's.
    complete_second_factor(client, user)
    return client


class Handed:
    """When the last response was ready to be sent: what the handler returned. Work a page leaves for after
    it has been sent (the dashboard's refresh, run when the WSGI server closes the response) is nobody's wait."""

    at = 0.0

    @classmethod
    def install(cls):
        from django.core.handlers.base import BaseHandler

        original = BaseHandler.get_response

        def get_response(handler, request):
            response = original(handler, request)
            cls.at = time.perf_counter()
            return response

        BaseHandler.get_response = get_response


def measure(client, url, runs, cold=False, before=None, reference=None):
    """([ms of each of `runs` GETs after one warm-up], queries of one request); `cold` empties the cache first,
    `before` is called before each request; `reference` (a list) gets a signed-in `/health/` after each."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    seconds = []
    for _ in range(runs):
        if cold:
            cache.clear()
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        seconds.append((Handed.at - start) * 1000)
        if reference is not None:
            start = time.perf_counter()
            client.get("/health/")
            reference.append((Handed.at - start) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return seconds, len(captured)


def middle_key(user, **filters):
    """The address of the page in the middle of `user`'s inbox as its 下一页 link gives it (by key); with code
    from before keyed paging (to measure it side by side), the same page by number."""
    from applications.models import Application
    from reviews import inbox

    applications = inbox.waiting_first(Application.objects.visible_to(user).filter(**filters))
    middle = applications.count() // 2
    page = middle // 20 + 1
    if not hasattr(inbox, "key_of"):
        return urlencode({"page": page})
    return urlencode({"page": page, "after": inbox.key_of(applications[middle - 1])})


def pages(review_id, region_id, call_id, deep_key, last_page):
    return (
        ("自治区", "inbox, first page", "/reviews/"),
        ("自治区", "inbox, page 10 (typed)", "/reviews/?page=10"),
        ("自治区", "inbox, middle (下一页 key)", f"/reviews/?{deep_key}"),
        ("自治区", "inbox, last page (typed)", f"/reviews/?page={last_page}"),
        ("自治区", "inbox, search 第50", "/reviews/?q=第50"),
        ("自治区", "inbox, search a number", "/reviews/?q=2024-150200-0001"),
        ("自治区", "inbox, 待决定 only", "/reviews/?status=awaiting_decision"),
        ("自治区", "inbox, 待盟市初审 only", "/reviews/?status=submitted"),
        ("自治区", "inbox, one call", f"/reviews/?call={call_id}"),
        ("自治区", "home page", "/"),
        ("自治区", "review page (standing)", f"/reviews/{review_id}/"),
        ("自治区", "dashboard 统计分析", "/dashboards/"),
        ("自治区", "dashboard, cache emptied", COLD + "/dashboards/"),
        ("自治区", "dashboard, after a submission", CHANGED + "/dashboards/"),
        ("自治区", "dashboard, by output p3", "/dashboards/?sort=output__2023&dir=desc&page=3"),
        ("自治区", "dashboard, 1 盟市 filter", f"/dashboards/?region={region_id}"),
        ("自治区", "XLSX of 盟市 counts", "/dashboards/download/regions.xlsx"),
        ("包头", "inbox, first page", "/reviews/"),
        ("包头", "inbox, 待盟市初审 only", "/reviews/?status=submitted"),
        ("包头", "home page", "/"),
        ("包头", "review page (standing)", f"/reviews/{review_id}/"),
        ("包头", "dashboard 统计分析", "/dashboards/"),
        ("包头", "dashboard, cache emptied", COLD + "/dashboards/"),
        ("包头", "dashboard, after a submission", CHANGED + "/dashboards/"),
    )


LISTS = (
    "inbox, first page",
    "inbox, middle (下一页 key)",
    "inbox, page 10 (typed)",
    "inbox, 待决定 only",
    "inbox, one call",
    "inbox, search 第50",
    "home page",
)


def explain(clients, listed):
    """EXPLAIN (ANALYZE, BUFFERS) of each list's main queries, exactly as the page sent them: those reading
    applications in the list's order (its rows) or counting them (第 1 / N 页)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for who, label, url in listed:
        if label not in LISTS:
            continue
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(url)
        for query in captured:
            sql = query["sql"]
            main = sql.startswith("SELECT") and 'FROM "applications_application"' in sql
            if main and ("ORDER BY" in sql or "COUNT(*)" in sql):
                print(f"\n-- {who} {label} ({url})\n{sql}")
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)  # the query the page itself sent
                    print("\n".join(row[0] for row in cursor.fetchall()))


def main():
    args = parse_args()
    database = configure(args.database_url)  # a throwaway database, migrated; PostgreSQL's dropped at exit
    from django.db import connection

    from accounts.models import Role, User
    from regions.models import Region

    print(f"database: {database}; {args.runs} timed requests a page, each followed by a signed-in /health/")
    print("command: .venv/bin/python " + " ".join(sys.argv))
    Handed.install()
    made = Applications()
    department = User.objects.create(username="gxt-bench", role=Role.DEPARTMENT, full_name="自治区")
    baotou = Region.objects.get(code="150200")
    bureau = User.objects.create(username="baotou-bench", role=Role.BUREAU, full_name="包头", region=baotou)
    clients = {"自治区": signed_in_client(department), "包头": signed_in_client(bureau)}
    results, references, loads = {}, {}, {}
    for n in args.n:
        start = time.perf_counter()
        made.grow_to(n)
        if connection.vendor == "postgresql":
            # What autovacuum does to a table that only grows (PostgreSQL 13+): statistics for the
            # planner, and the visibility map that lets a count read the index alone.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"N={n}: added in {time.perf_counter() - start:.1f} s", flush=True)
        # A 包头-led application: the 盟市 may open it, and the 自治区 too.
        review_id = made.ids[1]  # the second cluster is led by 包头 (regions in code order)
        last_page = (n + 19) // 20
        listed = pages(review_id, baotou.pk, made.call.pk, middle_key(department), last_page)
        reference = references[n] = []
        before_load = os.getloadavg()[0]
        for who, label, url in listed:
            cold = url.startswith(COLD)
            before = made.resubmitted if url.startswith(CHANGED) else None
            path = url.removeprefix(COLD).removeprefix(CHANGED)
            results[who, label, n] = measure(clients[who], path, args.runs, cold, before, reference)
        loads[n] = (before_load, os.getloadavg()[0])
        print(f"N={n}: measured; load average (1 min) {loads[n][0]:.2f} before, {loads[n][1]:.2f} after", flush=True)
    report(args.n, results, references, loads)
    if args.explain and connection.vendor == "postgresql":
        explain(clients, listed)


def report(sizes, results, references, loads):
    print("\nms per request: min / median / max of the timed runs; × = median ÷ the median signed-in /health/")
    print("of the same N (measured between the requests); q = SQL queries of one request.")
    for n in sizes:
        ref = references[n]
        print(
            f"N={n}: /health/ signed in {min(ref):.2f} / {statistics.median(ref):.2f} / {max(ref):.2f} ms; "
            f"load average {loads[n][0]:.2f}–{loads[n][1]:.2f}"
        )
    first = sizes[0]
    head = "".join(f"{f'N={n}':>28}" for n in sizes)
    print(f"\n{'who':<5}{'page':<30}{head}{f'× N={sizes[-1]} / N={first}':>20}")
    print(f"{'':<35}" + "".join(f"{'min/med/max ms':>18}{'×':>6}{'q':>4}" for _ in sizes))
    seen = []
    for who, label, _ in results:
        if (who, label) not in seen:
            seen.append((who, label))
    for who, label in seen:
        cells, ratios = "", []
        for n in sizes:
            times, queries = results[who, label, n]
            ratio = statistics.median(times) / statistics.median(references[n])
            ratios.append(ratio)
            spread = f"{min(times):.0f}/{statistics.median(times):.1f}/{max(times):.0f}"
            cells += f"{spread:>18}{ratio:>6.1f}{queries:>4}"
        print(f"{who:<5}{label:<30}{cells}{ratios[-1] / ratios[0]:>20.2f}")


if __name__ == "__main__":
    main()

"""How long the officials' lists and dashboards take as the number of applications grows, and how many queries.

Run: .venv/bin/python bench/reviews.py [--n 100 1000 10000] [--runs 7]
         [--database-url postgres://postgres@127.0.0.1:5432/bench_lists]

Without --database-url it uses a throwaway SQLite database; with it, it creates that PostgreSQL
database, fills it, and drops it at the end (bench/common.py; its name must start with bench_). For each N the
applications are added in bulk (the schema-driven complete application, figures varied per
cluster, one submit transition each, the figures indexed as a submission indexes them), then each
page is requested once to warm up and RUNS more times: the table gives the median server time
(the Django test client, in process: no network; until the response is handed to the server, see
Handed) and the number of SQL queries, per N, so a cost that grows with N shows as a row whose
figures grow along it.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import approved_organisations, configure

RUNS = 7
# A page measured with the cache emptied before each request: the figure table computed afresh, as for
# a scope nobody has looked at since the cache was emptied (dashboards.figures caches what it computed).
COLD = "cold:"
# A page measured after a submission before each request (one application's figures stamp renewed, as
# a resubmission renews it): the dashboard shows the scope's last figures and computes them once sent.
CHANGED = "changed:"
STATUSES = ("submitted", "recommended", "under_review", "awaiting_decision", "returned", "publicising")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000, 10000], help="sizes to measure, ascending")
    parser.add_argument("--database-url", help="a PostgreSQL database to create, fill and drop (name bench_…)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests per page (the median is shown)")
    return parser.parse_args()


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
        from django.db import transaction
        from django.utils import timezone

        from applications.models import Application, Transition, Version
        from dashboards import store
        from tests.factories import pinned

        start = len(self.ids)
        if n <= start:
            return
        now = timezone.now()
        regions = self.regions
        with transaction.atomic():
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


def measure(client, url, runs, cold=False, before=None):
    """(median ms of `runs` GETs after one warm-up, queries of one request); `cold` empties the cache first,
    `before` is called before each request."""
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
        seconds.append(Handed.at - start)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return statistics.median(seconds) * 1000, len(captured)


def pages(review_id, region_id):
    return (
        ("自治区", "inbox, first page", "/reviews/"),
        ("自治区", "inbox, page 10", "/reviews/?page=10"),
        ("自治区", "inbox, search 第50", "/reviews/?q=第50"),
        ("自治区", "inbox, 待决定 only", "/reviews/?status=awaiting_decision"),
        ("自治区", "home page", "/"),
        ("自治区", "review page (standing)", f"/reviews/{review_id}/"),
        ("自治区", "dashboard 统计分析", "/dashboards/"),
        ("自治区", "dashboard, cache emptied", COLD + "/dashboards/"),
        ("自治区", "dashboard, after a submission", CHANGED + "/dashboards/"),
        ("自治区", "dashboard, by output p3", "/dashboards/?sort=output__2023&dir=desc&page=3"),
        ("自治区", "dashboard, 1 盟市 filter", f"/dashboards/?region={region_id}"),
        ("自治区", "XLSX of 盟市 counts", "/dashboards/download/regions.xlsx"),
        ("包头", "inbox, first page", "/reviews/"),
        ("包头", "home page", "/"),
        ("包头", "review page (standing)", f"/reviews/{review_id}/"),
        ("包头", "dashboard 统计分析", "/dashboards/"),
        ("包头", "dashboard, cache emptied", COLD + "/dashboards/"),
        ("包头", "dashboard, after a submission", CHANGED + "/dashboards/"),
    )


def main():
    args = parse_args()
    database = configure(args.database_url)  # a throwaway database, migrated; PostgreSQL's dropped at exit
    from django.db import connection

    from accounts.models import Role, User
    from regions.models import Region

    print(f"database: {database}; {args.runs} timed requests a page")
    Handed.install()
    made = Applications()
    department = User.objects.create(username="gxt-bench", role=Role.DEPARTMENT, full_name="自治区")
    baotou = Region.objects.get(code="150200")
    bureau = User.objects.create(username="baotou-bench", role=Role.BUREAU, full_name="包头", region=baotou)
    clients = {"自治区": signed_in_client(department), "包头": signed_in_client(bureau)}
    results = {}
    for n in sorted(args.n):
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
        for who, label, url in pages(review_id, baotou.pk):
            cold = url.startswith(COLD)
            before = made.resubmitted if url.startswith(CHANGED) else None
            path = url.removeprefix(COLD).removeprefix(CHANGED)
            results[who, label, n] = measure(clients[who], path, args.runs, cold, before)
    sizes = sorted(args.n)
    head = "".join(f"{f'N={n}':>18}" for n in sizes)
    print(f"\n{'who':<5}{'page':<26}{head}")
    print(f"{'':<31}" + "".join(f"{'ms':>10}{'queries':>8}" for _ in sizes))
    for who, label, _ in pages(0, 0):
        cells = "".join(f"{results[who, label, n][0]:>10.1f}{results[who, label, n][1]:>8}" for n in sizes)
        print(f"{who:<5}{label:<26}{cells}")


if __name__ == "__main__":
    main()

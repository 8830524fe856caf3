"""How long the dashboards' figure table takes as the number of applications grows: min, median and max.

Run: .venv/bin/python bench/dashboards.py [--n 1000 10000] [--runs 7]
         [--database-url postgres://postgres@127.0.0.1:5432/bench_figures] [--against DIR]

The applications are added as bench/reviews.py adds them (a throwaway SQLite database, or the named
PostgreSQL one, created and dropped; its name must start with bench_). Two kinds of rows follow:

- the figure table's own parts (dashboards.figures.figure_table), called in process over the
  自治区's scope (every counted application) and one 盟市's (包头-led): the statistics of every cell
  and a page of rows, each computed afresh (cache emptied first) and read from the cache, a chart's
  highest 30, and every row as a download reads them;
- the dashboard page itself through the Django test client, warm, with the cache emptied, and after
  a submission (one figures stamp renewed before each request), as bench/reviews.py measures it.

Each is run once to warm up, then RUNS times; the table gives min, median and max ms, the queries of
one more run, and the load average (1 min) before and after each N. The machine is shared: compare
medians, and distrust a row whose max is far from its median.

`--against DIR` times another checkout of the project too (e.g. `git worktree add /tmp/before HEAD~1`,
with this script copied into it), run by run in turn with this one on the same database, so both see
the same load: a worker process with DIR's code does every other run. DIR must use the same migrations.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# A worker (--serve) imports the project from the checkout it is given, not from beside this file.
ROOT = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 7
OUTPUT = "output__2023"  # 集群总产值 in the call's last year: what the dashboard sorts by in the bench


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="sizes to measure, ascending")
    parser.add_argument("--database-url", help="a PostgreSQL database to create, fill and drop (name bench_…)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per row")
    parser.add_argument("--against", type=Path, help="another checkout to time in turn with this one")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # a worker for --against
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--resubmit", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def once(work, before=None):
    """(seconds, queries) of one call of `work`, after `before` (untimed); `work` may return when it ended (a
    page: when its handler returned), else it ends when it returns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        end = work()
        seconds = (end or time.perf_counter()) - start
    return seconds, len(captured)


def summary(seconds, queries):
    ms = sorted(s * 1000 for s in seconds)
    return ms[0], statistics.median(ms), ms[-1], queries


def table_rows(schema, scopes):
    """(scope, what, work, before) for each part of the figure table measured in process."""
    from django.core.cache import cache

    from dashboards.figures import figure_table

    def statistics_of(applications):
        table = figure_table(applications, schema)
        for cell in table.cells:
            table.stats(cell)

    def page_of(applications):
        list(figure_table(applications, schema).page(OUTPUT, True, 3, 50))

    def highest(applications):
        figure_table(applications, schema).ordered(OUTPUT, descending=True, limit=30)

    def download(applications):
        len(figure_table(applications, schema).rows)

    rows = []
    for scope, applications in scopes.items():
        rows += [
            (scope, "statistics, computed", lambda a=applications: statistics_of(a), cache.clear),
            (scope, "statistics, cached", lambda a=applications: statistics_of(a), None),
            (scope, "page 3 by output, computed", lambda a=applications: page_of(a), cache.clear),
            (scope, "page 3 by output, cached", lambda a=applications: page_of(a), None),
            (scope, "bar chart's highest 30, computed", lambda a=applications: highest(a), cache.clear),
            (scope, "every row (a download)", lambda a=applications: download(a), None),
        ]
    return rows


def page_rows(clients, resubmitted):
    """(who, what, work, before) for the dashboard page, timed until the handler returns (bench.reviews.Handed)."""
    from django.core.cache import cache

    from bench.reviews import Handed

    def get(client):
        response = client.get("/dashboards/")
        if response.status_code != 200:
            raise SystemExit(f"/dashboards/ answered {response.status_code}")
        return Handed.at

    rows = []
    for who, client in clients.items():
        rows += [
            (who, "dashboard page", lambda c=client: get(c), None),
            (who, "dashboard page, cache emptied", lambda c=client: get(c), cache.clear),
            (who, "dashboard page, after a submission", lambda c=client: get(c), resubmitted),
        ]
    return rows


def every_row(schema, resubmitted):
    """Every row measured, for the applications and users main() made (a worker finds them in the database)."""
    from accounts.models import User
    from applications.models import Application, Status
    from bench.reviews import Handed, signed_in_client
    from regions.models import Region

    Handed.install()
    baotou = Region.objects.get(code="150200")
    clients = {who: signed_in_client(User.objects.get(username=name)) for who, name in USERS.items()}
    counted = Application.objects.exclude(status=Status.DRAFT)
    scopes = {"自治区": counted, "包头": counted.filter(lead_region=baotou)}
    return table_rows(schema, scopes) + page_rows(clients, resubmitted)


USERS = {"自治区": "gxt-bench", "包头": "baotou-bench"}


class Worker:
    """The other checkout's code, in its own process on the same database: runs one row when asked."""

    def __init__(self, root, resubmit_id):
        env = {**os.environ, "PYTHONPATH": str(root)}
        command = [sys.executable, __file__, "--serve", "--root", str(root), "--resubmit", str(resubmit_id)]
        # This interpreter and this very script, with the checkout the caller named.
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, index, warm_up=False):
        self.process.stdin.write(f"{index} {int(warm_up)}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def serve(args):
    """A worker: the settings main() set up are in the environment; the database is already filled."""
    import django

    django.setup()
    from calls.models import Call
    from dashboards.models import SubmittedFigures, new_stamp

    def resubmitted():
        SubmittedFigures.objects.filter(pk=args.resubmit).update(stamp=new_stamp())

    rows = every_row(Call.objects.get(code="cluster-2024").schema, resubmitted)
    for line in sys.stdin:
        index, warm_up = map(int, line.split())
        _, _, work, before = rows[index]
        if warm_up:
            once(work, before)
        print(json.dumps(once(work, before)), flush=True)


def main():
    args = parse_args()
    if args.serve:
        return serve(args)
    from bench.common import configure

    database = configure(args.database_url)  # a throwaway database, migrated; PostgreSQL's dropped at exit
    from django.db import connection

    from accounts.models import Role, User
    from bench.reviews import Applications
    from regions.models import Region

    names = ["this checkout"] + ([f"{args.against}"] if args.against else [])
    print(f"database: {database}; {args.runs} timed runs a row; {' against '.join(names)}")
    made = Applications()
    baotou = Region.objects.get(code="150200")
    User.objects.create(username=USERS["自治区"], role=Role.DEPARTMENT, full_name="自治区")
    User.objects.create(username=USERS["包头"], role=Role.BUREAU, full_name="包头", region=baotou)
    results, loads, labels = {}, {}, []
    for n in sorted(args.n):
        made.grow_to(n)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum leaves a table that only grows
                cursor.execute("VACUUM ANALYZE")
        rows = every_row(made.schema, made.resubmitted)
        worker = Worker(args.against, made.ids[1]) if args.against else None
        before = os.getloadavg()[0]
        for index, (who, what, work, prepare) in enumerate(rows):
            if (who, what) not in labels:
                labels.append((who, what))
            once(work, prepare)  # warm-up
            seconds = {name: [] for name in names}
            queries = {}
            for run in range(args.runs):
                seconds[names[0]].append(once(work, prepare)[0])
                if worker:
                    seconds[names[1]].append(worker.run(index, warm_up=run == 0)[0])
            queries[names[0]] = once(work, prepare)[1]
            if worker:
                queries[names[1]] = worker.run(index)[1]
            for name in names:
                results[name, who, what, n] = summary(seconds[name], queries[name])
        if worker:
            worker.close()
        loads[n] = (before, os.getloadavg()[0])
        print(f"N={n}: load average {loads[n][0]:.2f} → {loads[n][1]:.2f}", flush=True)
    for n in sorted(args.n):
        for name in names:
            print(f"\nN={n}, {name} ({database}; load average {loads[n][0]:.2f} → {loads[n][1]:.2f})")
            print(f"{'who':<5}{'what':<38}{'min ms':>10}{'median':>10}{'max':>10}{'queries':>9}")
            for who, what in labels:
                low, median, high, queries = results[name, who, what, n]
                print(f"{who:<5}{what:<38}{low:>10.1f}{median:>10.1f}{high:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()

"""How long a 汇总表 of 100, 1,000 and 10,000 submitted applications takes as XLSX and PDF, and the memory it needs.

Run: .venv/bin/python bench/summary.py [--repeat 3] [--no-pdf] [--keep DIR]
(prints figures; uses a throwaway SQLite database; --keep writes the files to DIR to look at)

Each export runs `--repeat` times, each in a forked process: the median time, and the median peak
resident memory above an idle worker's (C libraries included). For the XLSX, tracemalloc also reports
the most Python held: it should not grow with N beyond the chunk of rows read at a time. The PDF is
laid out whole by WeasyPrint, so its time and memory grow with N; in the application it is made by
the document worker (documents/jobs.py), never in a request. The full run takes about five minutes.
"""

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shenbao.settings")
os.environ["SHENBAO_VAR_DIR"] = tempfile.mkdtemp()  # a throwaway database, media and secret key

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = {"XLSX": (100, 1000, 10000), "PDF": (100, 1000)}
RECOMMENDED = 50
STATUSES = ("submitted", "recommended", "under_review", "awaiting_decision")


def generate(n):
    """`n` submitted applications with complete data and one frozen version each, made in bulk."""
    from accounts.models import Role, User
    from applications.models import Application, Version
    from bench.common import approved_organisations
    from calls.models import Call
    from regions.models import Region
    from tests.application_data import complete_data
    from tests.factories import pinned

    call = Call.objects.get(code="cluster-2024")
    regions = list(Region.objects.all())
    user = User.objects.create(username="bench", role=Role.DEPARTMENT, full_name="基准测试")
    base = complete_data(call.schema)
    organisations = approved_organisations(regions, range(n))
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            schema_revision_id=call.current_revision_id,
            organisation=org,
            lead_region=org.region,
            number=f"2024-{org.region.code}-{i // len(regions) + 1:03d}",
            status=STATUSES[i % len(STATUSES)],
            data={**base, "cluster_name": f"{org.region.name}第{i + 1}先进制造业集群", "output__2023": f"{100 + i}.25"},
            submitted_at=now,
            created_by=user,
        )
        for i, org in enumerate(organisations)
    )
    Version.objects.bulk_create(
        Version(
            application=app,
            number=1,
            data=app.data,
            **pinned(call),
            content_hash=f"{app.pk:064x}",
            submitted_at=now,
            submitted_by=user,
        )
        for app in applications
    )
    return call, [a.pk for a in applications]


def in_child(fn):
    """Run `fn` in a forked process so each export's memory is its own: (seconds, peak RSS in MiB, bytes)."""
    from django.db import connections

    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()

    def child():
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        data = result if isinstance(result, bytes) else result.read()
        queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, data))

    connections.close_all()  # the child opens its own connection to the SQLite file
    process = context.Process(target=child)
    process.start()
    outcome = queue.get()
    process.join()
    return outcome


def traced_peak(fn):
    """The most memory Python itself held during `fn` (tracemalloc; slow, so XLSX only)."""
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if not isinstance(result, bytes):
        result.close()
    return peak / 2**20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDFs (the slow part)")
    parser.add_argument("--keep", help="write the files to this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each export; the median is shown")
    args = parser.parse_args()

    from applications.models import Application
    from documents.summary import summary_pdf, summary_xlsx

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call, ids = generate(max(SIZES["XLSX"]))
    print(f"generated {len(ids)} submitted applications with versions in {time.perf_counter() - start:.1f} s")
    schema = call.schema
    _, idle, _ = in_child(lambda: b"")
    print(f"peak RSS of an idle worker: {idle:.0f} MiB; the table shows each export's peak above it")
    print(f"median of {args.repeat} runs each")
    print(f"{'format':<6} {'N':>5} {'time (s)':>9} {'RSS +MiB':>9} {'Python peak MiB':>16} {'size KiB':>9}")
    formats = {"XLSX": summary_xlsx} if args.no_pdf else {"XLSX": summary_xlsx, "PDF": summary_pdf}
    for name, export in formats.items():
        for n in SIZES[name]:
            applications = Application.objects.filter(pk__in=ids[:n])

            def run(export=export, applications=applications):
                return export(applications, schema, "汇总表（基准测试）", "批次：2024年；全部盟市")

            _, idle, _ = in_child(lambda: b"")  # this process as it now is: a child starts from it
            runs = [in_child(run) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[1] for r in runs)
            data = runs[-1][2]
            traced = f"{traced_peak(run):.1f}" if name == "XLSX" else "-"
            print(f"{name:<6} {n:>5} {seconds:>9.2f} {peak - idle:>9.1f} {traced:>16} {len(data) / 1024:>9.0f}")
            if args.keep:
                Path(args.keep, f"summary-{n}.{name.lower()}").write_bytes(data)
    if not args.no_pdf:
        # The 推荐清单 holds one 盟市's recommendations: tens of rows; 50 is generous. It stays in the request.
        from documents.recommendation import recommendation_pdf
        from regions.models import Region

        region = Region.objects.get(code="150200")
        applications = Application.objects.filter(pk__in=ids[:RECOMMENDED])
        _, idle, _ = in_child(lambda: b"")
        runs = [in_child(lambda: recommendation_pdf(applications, schema, region)) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        peak = statistics.median(r[1] for r in runs)
        size = len(runs[-1][2]) / 1024
        print(f"{'推荐清单PDF':<6} {RECOMMENDED:>5} {seconds:>9.2f} {peak - idle:>9.1f} {'-':>16} {size:>9.0f}")


if __name__ == "__main__":
    main()

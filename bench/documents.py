"""How long the demo application takes to render as 申请报告 PDF and DOCX, 绩效目标表, and XLSX, and peak memory.

Run: .venv/bin/python bench/documents.py   (prints figures; uses a throwaway SQLite database)
The demo's 包头 application is complete (every section, every evidence file). Each document is
rendered once to warm up, then REPEAT times: the median and the slowest; then its peak memory twice
over: the most Python held (tracemalloc) and the peak resident memory of a forked process rendering
it, above an idle one's (C libraries — Pango, cairo, fonts — included).
The 汇总表 of 100 to 10,000 applications is measured by bench/summary.py.
"""

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

REPEAT = 5


def measure(fn):
    fn()  # the first run loads fonts and templates; a server does that once
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(samples), max(samples), peak


def rss_in_child(fn):
    """Peak resident memory (MiB) of a forked process running `fn`."""
    from django.db import connections

    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()

    def child():
        fn()
        queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    connections.close_all()
    process = context.Process(target=child)
    process.start()
    peak = queue.get()
    process.join()
    return peak


def main():
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    from applications import submission
    from applications.models import Application
    from documents.record import record_of
    from documents.rendering import render

    app = Application.objects.get(number__endswith="150200-001")
    version = submission.submit(app, app.created_by)
    record = record_of(app, version.number)
    print(f"{app.number} 第{version.number}版: {len(record.data)} cells, {len(record.attachments)} files")
    print(f"median of {REPEAT} runs; RSS +MiB: a forked process's peak resident memory above an idle one's")
    print(f"{'document':<24}{'median s':>10}{'max s':>10}{'Py MiB':>10}{'RSS +MiB':>10}{'size KiB':>10}")
    for document, fmt, label in (
        ("report", "pdf", "申请报告 PDF"),
        ("report", "docx", "申请报告 DOCX"),
        ("performance", "pdf", "绩效目标表 PDF"),
        ("performance", "docx", "绩效目标表 DOCX"),
        ("report", "xlsx", "申报书 XLSX"),
    ):
        size = len(render(record, document, fmt).content)
        median, worst, peak = measure(lambda d=document, f=fmt: render(record, d, f))
        idle = rss_in_child(lambda: None)  # this process as it now is, warmed up: a child starts from it
        rss = rss_in_child(lambda d=document, f=fmt: render(record, d, f)) - idle
        print(f"{label:<20}{median:>10.3f}{worst:>10.3f}{peak / 2**20:>10.1f}{rss:>10.1f}{size / 1024:>10.0f}")


if __name__ == "__main__":
    main()

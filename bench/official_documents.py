"""How long the document worker takes to make the official PDFs of one submission: render, sign, store.

Run: .venv/bin/python bench/official_documents.py [--n 5]   (prints figures; uses a throwaway SQLite database)

N complete applications (the demo's figures and evidence) are submitted one at a time; after each, the
worker (documents.official.work_one) makes both official PDFs — 申请报告 and 绩效目标表 — rendered from the
frozen version, signed (PAdES, the demo certificate) and saved in the file storage. The table gives
min / median / max seconds per submission, split into render, sign and store, against a reference
measured in the same run on the same records: rendering both documents as DOCX, which the download view
still does in the request. A submission before the measured ones warms fonts, templates and pyHanko up.
The load average is read before and after, so a busy machine shows in the figures' context.
"""

import argparse
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import configure

REGIONS = ("150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900", "152200")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="submissions to measure (default 5)")
    return parser.parse_args()


class Timed:
    """Wraps a function and adds the seconds spent in it to `total`."""

    def __init__(self, function):
        self.function, self.total = function, 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.total += time.perf_counter() - start


def main():
    args = parse_args()
    database = configure()
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.test.utils import override_settings

    from documents import official
    from documents.models import OfficialDocument
    from documents.record import record_of
    from documents.rendering import render as render_document
    from tests import factories

    call_command("make_signing_certificate", stdout=open(os.devnull, "w"))  # the demo pair, in the throwaway var/
    factories.open_call()
    render, sign = Timed(official.render), Timed(official.signing.sign_pdf)
    store = Timed(default_storage.save)
    official.render, official.signing.sign_pdf = render, sign
    default_storage.save = store  # the storage object itself: what generate() calls

    rows = []
    load_before = os.getloadavg()
    media = Path(os.environ["SHENBAO_VAR_DIR"]) / "media"
    quiet = {  # submissions notify by e-mail and text message: kept in memory, as seed_demo does
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SHENBAO_SMS_SENDER": "notifications.sms.SilentSender",
    }
    with override_settings(MEDIA_ROOT=media, **quiet):
        for i in range(args.n + 1):  # the first one warms up
            app = factories.submitted_application(REGIONS[i % len(REGIONS)])
            version = app.latest_version
            render.total = sign.total = store.total = 0.0
            start = time.perf_counter()
            while official.work_one("bench"):
                pass
            total = time.perf_counter() - start
            made = list(OfficialDocument.objects.filter(version=version))
            if len(made) != 2 or not all(row.is_done for row in made):
                raise SystemExit(f"{app.number}: {[(row.kind, row.status, row.error) for row in made]}")
            record = record_of(app, version.number)
            start = time.perf_counter()
            for kind in ("report", "performance"):
                render_document(record, kind, "docx")
            docx = time.perf_counter() - start
            if i:
                size = sum(row.size for row in made)
                rows.append((total, render.total, sign.total, store.total, docx, size))
    load_after = os.getloadavg()

    print("command:", shlex.join([sys.executable, *sys.argv]))
    print(f"database: {database}; CPUs: {os.cpu_count()}; submissions measured: {args.n} (after 1 to warm up)")
    print(
        "load average (1/5/15 min): before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
            *load_before, *load_after
        )
    )
    print("seconds per submission, both official PDFs (申请报告 + 绩效目标表):")
    print(f"{'':<28}{'min':>8}{'median':>8}{'max':>8}")
    columns = ("render+sign+store", "  render (PDF)", "  sign (PAdES)", "  store", "reference: both as DOCX")
    for index, label in enumerate(columns):
        values = [row[index] for row in rows]
        print(f"{label:<28}{min(values):>8.3f}{statistics.median(values):>8.3f}{max(values):>8.3f}")
    ratios = [row[0] / row[4] for row in rows]
    print(
        f"ratio to the DOCX reference (per submission): min {min(ratios):.2f}, median {statistics.median(ratios):.2f},"
        f" max {max(ratios):.2f}"
    )
    print(f"stored size per submission: {statistics.median(row[5] for row in rows) / 1024:.0f} KiB (median)")


if __name__ == "__main__":
    main()

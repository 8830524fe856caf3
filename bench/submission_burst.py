"""Submission burst: 200 applicants pressing 提交 within the last minute, against the real app under gunicorn.

Run: .venv/bin/python bench/submission_burst.py [--applicants 200] [--windows 60 0] [--double-click]
     [--database-url postgres://postgres@127.0.0.1:5432/bench_load]
(prints figures; uses a throwaway SQLite database, or creates and drops the given PostgreSQL one)

Each applicant has its own account, session and complete draft with its evidence attached
(bench/data.py). It signs in through the login form and opens its 提交前检查 page (for the form's
CSRF token, as the browser does); then every applicant posts the submit form at a random moment
within the window (60 s: the last minute before the deadline; 0: all at the same instant).
A submission succeeds when it is redirected to its 回执 of 第1版. Afterwards the database must hold
exactly one version and one submit transition per applicant, every application 待初审, and no two
versions alike: anything else is printed as an error. --double-click also sends every applicant's
submit twice at once; the second must be refused and still leave exactly one version.
"""

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Applicant, Server, configure, default_workers, median_of, percentile


class Submitter(Applicant):
    async def open_check(self):
        await self.page(f"/applications/{self.application_id}/check/")

    async def submit(self):
        """(seconds, None) for a submission taken, or (seconds, what went wrong)."""
        url = f"/applications/{self.application_id}/submit/"
        start = time.perf_counter()
        async with self.http.post(url, data={"csrfmiddlewaretoken": self.csrf}, allow_redirects=False) as response:
            await response.read()
            seconds = time.perf_counter() - start
            location = response.headers.get("Location", "")
            if response.status == 302 and location.endswith(f"/applications/{self.application_id}/versions/1/"):
                return seconds, None
            return seconds, f"submit {response.status} → {location or '(no redirect)'}"


async def burst(server, drafts, window, double_click):
    submitters = [Submitter(server.url, d.username, d.application_id) for d in drafts]
    gate = asyncio.Semaphore(8)  # signing in is not what is measured; argon2 costs CPU on purpose

    async def enter(submitter):
        async with gate:
            await submitter.login()
            await submitter.open_check()

    try:
        await asyncio.gather(*(enter(s) for s in submitters))
        start = time.perf_counter()

        async def press(submitter):
            await asyncio.sleep(random.uniform(0, window))  # noqa: S311 (when each applicant presses 提交)
            if not double_click:
                return [await submitter.submit()]
            return await asyncio.gather(submitter.submit(), submitter.submit())

        outcomes = await asyncio.gather(*(press(s) for s in submitters))
        elapsed = time.perf_counter() - start
    finally:
        for submitter in submitters:
            await submitter.close()
    return outcomes, elapsed


def verify(drafts, outcomes, double_click):
    """Errors: a refused submission, or anything but exactly one version and one transition per draft."""
    from django.db.models import Count

    from applications.models import Application, Status, Transition, Version

    ids = [d.application_id for d in drafts]
    errors = []
    for draft, answers in zip(drafts, outcomes, strict=True):
        taken = [a for a in answers if a[1] is None]
        if len(taken) != 1:
            errors.append(f"{draft.username}: {len(taken)} submissions taken; {[a[1] for a in answers if a[1]]}")
    versions = Version.objects.filter(application_id__in=ids)
    if versions.count() != len(ids):
        errors.append(f"{versions.count()} versions for {len(ids)} applications")
    doubled = versions.values("application_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    if doubled:
        errors.append(f"{doubled} applications with more than one version")
    if versions.values("content_hash").distinct().count() != versions.count():
        errors.append("two versions with the same content hash")
    transitions = Transition.objects.filter(application_id__in=ids, action="submit").count()
    if transitions != len(ids):
        errors.append(f"{transitions} submit transitions for {len(ids)} applications")
    waiting = Application.objects.filter(pk__in=ids, status=Status.SUBMITTED).count()
    if waiting != len(ids):
        errors.append(f"{len(ids) - waiting} applications not 待初审")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--windows", type=float, nargs="+", default=[60.0, 0.0], help="seconds the presses spread over")
    parser.add_argument("--double-click", action="store_true", help="every applicant submits twice at once")
    parser.add_argument("--database-url", help="a PostgreSQL URL whose database (bench_*) is created and dropped")
    parser.add_argument("--repeat", type=int, default=3, help="bursts of each window; medians are printed")
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn workers (2 × cores + 1)")
    args = parser.parse_args()

    label = configure(args.database_url)
    from bench.data import drafts as make_drafts

    made = 0
    print(
        f"{'database':<14}{'applicants':>11} {'window':>7}{'taken':>7}{'wall s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'errors':>7}"
    )
    with Server(args.workers) as server:
        for window in args.windows:
            runs, taken = [], []
            for _ in range(args.repeat):
                drafts = make_drafts(args.applicants, start=made)
                made += args.applicants
                outcomes, elapsed = asyncio.run(burst(server, drafts, window, args.double_click))
                errors = verify(drafts, outcomes, args.double_click)
                for error in errors[:5]:
                    print(f"    error: {error}")
                seconds = [a[0] for answers in outcomes for a in answers if a[1] is None]
                taken.append(len(seconds))
                runs.append(
                    {
                        "wall": elapsed,
                        "p50": percentile(seconds, 50) * 1000 if seconds else 0,
                        "p95": percentile(seconds, 95) * 1000 if seconds else 0,
                        "max": max(seconds, default=0) * 1000,
                        "errors": len(errors),
                    }
                )
            r = median_of(runs)
            clicks = " ×2" if args.double_click else ""
            print(
                f"{label:<14}{f'{args.applicants}{clicks}':>11} {window:>6.0f}s{min(taken):>7}{r['wall']:>8.1f}"
                f"{r['p50']:>8.0f}{r['p95']:>8.0f}{r['max']:>8.0f}{r['errors']:>7}"
            )
        problems = server.log_errors()
    locked = sum("database is locked" in line for line in problems)
    print(f"{'':<14}server log: {len(problems)} error lines, {locked} 'database is locked'")
    print(f"{'':<14}(gunicorn: {args.workers} workers)")
    for line in problems[:10]:
        print(f"    {line}")


if __name__ == "__main__":
    main()

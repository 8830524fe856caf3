"""Autosave under load: many applicants typing at once, against the real app under gunicorn on loopback.

Run: .venv/bin/python bench/autosave_load.py [--users 50 200] [--database-url postgres://postgres@127.0.0.1:5432/bench_load]
(prints figures; uses a throwaway SQLite database, or creates and drops the given PostgreSQL one)

Each simulated applicant has its own account, session and draft (bench/data.py). It signs in through
the login form, opens the 实施方案 section page (for the CSRF token and the edit version, as the
browser does), then autosaves exactly as static/js/autosave.js does: a POST of the JSON body
{version, changes} with X-CSRFToken and X-Requested-With: fetch, keeping the version the answer
returns for the next save. The changed cell is the long-text 实施方案简介 (about 1,000 characters).

Two ways of loading the server, for autosave and for the ceiling, a minimal Django view on the same
server (/health/, fetched without cookies as a load balancer does):
- paced: each applicant saves every --interval seconds (± 50 %), the deadline-day pattern; this is
  where the latency figures count (target at 200 applicants on PostgreSQL: p99 < 200 ms);
- flat out: each applicant sends its next request as soon as the last is answered, so the figure is
  what the server can do; autosave's share of the ceiling is taken from these (target ≥ 50 %).
The ceiling is measured twice: without cookies (a load balancer: Django and its middleware, no
database), and with the applicant's own session (the same middleware work an autosave pays before its
view runs: the session, the user, the second-factor check, the idle-timeout stamp).
Every answer other than 200 (and, for autosave, a JSON body with the new version) is an error, and
the server's log is searched for tracebacks and "database is locked". The load generator shares the
machine's cores with the server; its own CPU time is printed so its cost is visible.
"""

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Applicant, Server, configure, default_workers, median_of, summary

SECTION = "plan"
CELL = "plan__intro"
WARM_UP = 2.0  # seconds after the start before requests are counted
KINDS = {"autosave": "autosave", "health": "ceiling /health/", "health signed in": "  … signed in"}


class Typist(Applicant):
    """An applicant on the 实施方案 page, saving the long text it is writing."""

    async def open_editor(self):
        text = await self.page(f"/applications/{self.application_id}/section/{SECTION}/")
        self.version = int(text.split('data-version="', 1)[1].split('"', 1)[0])
        self.saves = 0

    async def autosave(self):
        self.saves += 1
        body = {"version": self.version, "changes": {CELL: f"{TEXT}（{self.username}第{self.saves}次修改）"}}
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
            "X-Requested-With": "fetch",
        }
        url = f"/applications/{self.application_id}/autosave/"
        async with self.http.post(url, data=json.dumps(body), headers=headers, allow_redirects=False) as response:
            answer = await response.read()
            if response.status != 200:
                return f"autosave {response.status}: {answer[:200].decode(errors='replace')}"
            self.version = json.loads(answer)["version"]
            return None


TEXT = (
    "本集群以稀土新材料为主导产业，依托龙头企业和公共服务平台，围绕产业链上下游协同、关键共性技术攻关、"
    "数字化转型和绿色低碳发展四个方面组织实施。"
) * 14  # about 1,000 characters, as a filled-in 实施方案简介


async def health(http):
    async with http.get("/health/") as response:
        answer = await response.read()
        return None if response.status == 200 and answer == b"ok" else f"health {response.status}"


async def run(kind, typists, anonymous, seconds, interval):
    """One measured run of one of KINDS; interval None means flat out. Returns summary()."""
    latencies, errors, messages = [], 0, []
    start = time.perf_counter()
    counted_from, stop = start + WARM_UP, start + WARM_UP + seconds

    async def one(index):
        nonlocal errors
        if interval:
            await asyncio.sleep(random.uniform(0, interval))  # noqa: S311 (applicants do not all start at once)
        while (now := time.perf_counter()) < stop:
            try:
                if kind == "autosave":
                    problem = await typists[index].autosave()
                else:  # the ceiling, as a load balancer asks (no cookies) or with the applicant's session
                    problem = await health(anonymous[index] if kind == "health" else typists[index].http)
            except Exception as exc:  # a refused or dropped connection, a timeout
                problem = f"{type(exc).__name__}: {exc}"
            done = time.perf_counter()
            if now >= counted_from and done <= stop:
                if problem:
                    errors += 1
                    messages.append(problem)
                else:
                    latencies.append(done - now)
            if interval:
                await asyncio.sleep(max(0.0, interval * random.uniform(0.5, 1.5) - (done - now)))  # noqa: S311

    await asyncio.gather(*(one(i) for i in range(len(typists))))
    for message in sorted(set(messages))[:5]:
        print(f"    error: {message}")
    return summary(latencies, errors, seconds)


async def sign_in(server, drafts):
    import aiohttp

    typists = [Typist(server.url, d.username, d.application_id) for d in drafts]
    gate = asyncio.Semaphore(8)  # argon2 makes each login cost ~0.1 s of CPU on purpose

    async def enter(typist):
        async with gate:
            await typist.login()
            await typist.open_editor()

    await asyncio.gather(*(enter(t) for t in typists))
    anonymous = [
        aiohttp.ClientSession(
            server.url,
            cookie_jar=aiohttp.DummyCookieJar(),
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=60),
        )
        for _ in drafts
    ]
    return typists, anonymous


async def measure(server, drafts, users, args):
    typists, anonymous = await sign_in(server, drafts[:users])
    rows = {}
    try:
        for mode, interval, seconds in (("paced", args.interval, args.seconds), ("flat out", None, args.flat_seconds)):
            for kind in KINDS:
                runs = []
                for _ in range(args.repeat):
                    cpu = time.process_time()
                    result = await run(kind, typists, anonymous, seconds, interval)
                    result["client_cpu"] = (time.process_time() - cpu) / (seconds + WARM_UP)
                    runs.append(result)
                rows[(mode, kind)] = median_of(runs)
    finally:
        for session in [t.http for t in typists] + anonymous:
            await session.close()
    return rows


def print_rows(label, users, workers, rows):
    for mode in ("paced", "flat out"):
        save = rows[(mode, "autosave")]
        for kind, name in KINDS.items():
            r = rows[(mode, kind)]
            print(
                f"{label:<14}{users:>6} {mode:<9}{name:<17}{r['rps']:>8.0f}{r['p50']:>8.1f}{r['p95']:>8.1f}"
                f"{r['p99']:>8.1f}{r['max']:>8.0f}{r['errors']:>7.0f}{r['client_cpu'] * 100:>6.0f}%"
            )
        shares = [save["rps"] / rows[(mode, kind)]["rps"] * 100 for kind in ("health", "health signed in")]
        print(f"{'':<14}{'':>6} {mode:<9}{'autosave/ceiling':<17}{shares[0]:>7.0f}% (signed in: {shares[1]:.0f}%)")
    print(f"{'':<20}(gunicorn: {workers} workers)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200], help="concurrent applicants")
    parser.add_argument("--database-url", help="a PostgreSQL URL whose database (bench_*) is created and dropped")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between one applicant's saves")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each paced run")
    parser.add_argument("--flat-seconds", type=float, default=8.0, help="length of each flat-out run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians are printed")
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn workers (2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread above 1)")
    args = parser.parse_args()

    label = configure(args.database_url)
    from bench.data import drafts as make_drafts

    drafts = make_drafts(max(args.users))
    print(
        f"{'database':<14}{'users':>6} {'mode':<9}{'view':<17}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}{'errors':>7}{'client':>7}"
    )
    with Server(args.workers, args.threads) as server:
        for users in args.users:
            rows = asyncio.run(measure(server, drafts, users, args))
            print_rows(label, users, server.workers, rows)
        problems = server.log_errors()
    locked = sum("database is locked" in line for line in problems)
    print(f"{'':<20}server log: {len(problems)} error lines, {locked} 'database is locked'")
    for line in problems[:10]:
        print(f"    {line}")


if __name__ == "__main__":
    main()

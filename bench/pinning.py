"""Does pinning schema revisions cost autosave or the lists anything? The same requests on the code before
revisions existed and on today's, alternated in one run.

Run: .venv/bin/python bench/pinning.py [--before e05a852] [--n 1000] [--runs 3] [--requests 30]

The code at `--before` is checked out into a temporary git worktree. Each run is a fresh process on a
throwaway SQLite database holding N submitted applications (bench/reviews.py's bulk builder, in whichever
tree runs) and one draft; it times, in process with the Django test client, one autosave of the draft,
the 自治区 inbox's first page, the review page of one application, and — the reference — a signed-in
`/health/`. Runs alternate between the trees; the table gives min / median / max of the per-run
medians in ms and each page's ratio to the reference measured in the same run.
"""

import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "e05a852"  # the last commit before schema revisions (issue 17)
PAGES = ("autosave", "inbox", "review page", "/health/ signed in")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with (a git revision)")
    parser.add_argument("--n", type=int, default=1000, help="submitted applications in each database")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per tree, alternated")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page in a run")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a tree to measure, in this process
    return parser.parse_args()


def child(args):
    """Measure the tree this process was started in; print {page: median ms} as JSON."""
    from bench.common import configure

    configure()
    from accounts.models import Role, User
    from bench.reviews import Applications, signed_in_client
    from tests import factories

    factories.open_call()  # the draft's call is open, so autosave saves
    made = Applications()
    made.grow_to(args.n)
    department = User.objects.create(username="gxt-pinning", role=Role.DEPARTMENT, full_name="自治区")
    applicant = factories.user(Role.APPLICANT)
    draft = factories.application(applicant, made.call)
    official = signed_in_client(department)
    own = signed_in_client(applicant)
    state = {"version": draft.edit_version, "i": 0}

    def autosave():
        state["i"] += 1
        body = {"version": state["version"], "changes": {"area": f"{state['i'] % 90 + 1}.25"}}
        response = own.post(f"/applications/{draft.pk}/autosave/", json.dumps(body), content_type="application/json")
        state["version"] = response.json()["version"]
        return response

    requests = {
        "autosave": autosave,
        "inbox": lambda: official.get("/reviews/"),
        "review page": lambda: official.get(f"/reviews/{made.ids[1]}/"),
        "/health/ signed in": lambda: official.get("/health/"),
    }
    medians = {}
    for page, request in requests.items():
        if request().status_code != 200:
            raise SystemExit(f"{page} did not answer 200")
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            request()
            samples.append((time.perf_counter() - start) * 1000)
        medians[page] = statistics.median(samples)
    print(json.dumps(medians))


GIT = shutil.which("git") or "git"


def git(*arguments, check=True):
    # Fixed arguments: the worktree commands and a folder this script made.
    return subprocess.run([GIT, *arguments], cwd=ROOT, check=check, capture_output=True)  # noqa: S603


def worktree(revision):
    folder = Path(tempfile.mkdtemp(prefix="shenbao-before-"))
    git("worktree", "add", "--detach", str(folder), revision)
    atexit.register(shutil.rmtree, folder, True)
    atexit.register(git, "worktree", "remove", "--force", str(folder), check=False)
    return folder


def run(tree, args):
    command = [sys.executable, str(ROOT / "bench" / "pinning.py"), "--child", str(tree), "--n", str(args.n)]
    command += ["--requests", str(args.requests)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    args = parse_args()
    if args.child:
        sys.path.insert(0, args.child)
        return child(args)
    trees = {"before": worktree(args.before), "now": ROOT}
    results = {name: [] for name in trees}
    load = []
    for _ in range(args.runs):
        for name, tree in trees.items():
            results[name].append(run(tree, args))
            load.append(os.getloadavg()[0])
    print(f"command: {' '.join(sys.argv)}")
    print(f"N={args.n} submitted applications, SQLite; {args.runs} runs per tree, alternated;", end=" ")
    print(f"{args.requests} timed requests a page")
    print(f"load average (1 min) during the runs: min {min(load):.2f}, max {max(load):.2f}\n")
    print(f"{'page':<22}{'tree':<8}{'min ms':>8}{'median':>8}{'max':>8}{'× /health/':>12}")
    for page in PAGES:
        for name in trees:
            values = [r[page] for r in results[name]]
            ratio = statistics.median(r[page] / r["/health/ signed in"] for r in results[name])
            print(
                f"{page:<22}{name:<8}{min(values):>8.2f}{statistics.median(values):>8.2f}{max(values):>8.2f}{ratio:>12.2f}"
            )


if __name__ == "__main__":
    main()

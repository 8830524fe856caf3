"""How long the officials' pages take with many applications: the inbox, a search, the review page, the dashboard.

Run: .venv/bin/python bench/reviews.py [--n 1000]
(prints figures; uses a throwaway SQLite database)

The inbox sorts every application the official may see by how long it has waited (the latest
transition), and the dashboard reads every latest version's figures, so their cost grows with the
number of applications (in a fixed number of queries); the review page renders one frozen version
with its cross-checks and its standing among the others.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shenbao.settings")
os.environ["SHENBAO_VAR_DIR"] = tempfile.mkdtemp()  # a throwaway database, media and secret key

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.summary import generate  # noqa: E402

RUNS = 7


def timed(client, url):
    """Median seconds of RUNS GETs of `url` (after one warm-up), and the response size."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - start)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return statistics.median(seconds), len(body)


def transitions_for(ids):
    """One submit transition per application, so the inbox has a waiting time to sort by."""
    from accounts.models import User
    from applications.models import Application, Transition

    user = User.objects.get(username="bench")
    now = timezone.now()
    Transition.objects.bulk_create(
        Transition(
            application_id=pk,
            from_status="draft",
            to_status=status,
            action="submit",
            actor=user,
            actor_role="applicant",
            at=now - timezone.timedelta(minutes=i),
        )
        for i, (pk, status) in enumerate(Application.objects.filter(pk__in=ids).values_list("pk", "status"))
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000, help="how many submitted applications")
    args = parser.parse_args()

    from accounts.models import Role, User
    from regions.models import Region

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call, ids = generate(args.n)
    call.is_published = True  # the dashboard shows published calls
    call.save(update_fields=["is_published"])
    transitions_for(ids)
    print(f"generated {len(ids)} submitted applications in {time.perf_counter() - start:.1f} s")

    department = User.objects.create(username="gxt-bench", role=Role.DEPARTMENT, full_name="自治区")
    baotou = Region.objects.get(code="150200")
    bureau = User.objects.create(username="baotou-bench", role=Role.BUREAU, full_name="包头", region=baotou)
    for who, user in (("自治区工信厅", department), ("包头市工信局", bureau)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        # Staff pages need the second factor passed (docs/two-factor.md): leave the session as a correct
        # code would, with a bound authenticator of this official's.
        session = client.session
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        for label, url in (
            ("inbox, first page", "/reviews/"),
            ("inbox, page 10", "/reviews/?page=10"),
            ("inbox, search 第50", "/reviews/?q=第50"),
            ("inbox, 待决定 only", "/reviews/?status=awaiting_decision"),
            ("home page", "/"),
            ("review page", f"/reviews/{ids[1]}/"),
            ("dashboard 统计分析", "/dashboards/"),
            ("dashboard, one XLSX", "/dashboards/download/regions.xlsx"),
        ):
            seconds, size = timed(client, url)
            print(f"{who:<8} {label:<22} {seconds * 1000:7.1f} ms  {size / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()

"""How long the schema engine takes to check a whole application, and one autosave round trip.

Run: .venv/bin/python bench/validation.py   (prints figures; uses a throwaway SQLite database)
"""

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

from calls.schema import Context, load_schema, validate  # noqa: E402


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    from tests.application_data import complete_data

    schema = load_schema("cluster_2024", 2024)
    data = complete_data(schema)
    context = Context(lead_region_code="150200", attachments={s.key: 1 for s in schema.slots})
    median, worst = timed(lambda: validate(schema, data, context), 200)
    print(f"validate() complete application, {len(schema.cells)} cells: median {median:.2f} ms, max {worst:.2f} ms")

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    from accounts.models import User
    from applications.models import Application

    user = User.objects.get(username="51150500MJ0000003R")
    app = Application.objects.get(organisation=user.organisation)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/applications/{app.pk}/autosave/"
    counter = iter(range(10**6))

    def save():
        app.refresh_from_db(fields=["edit_version"])
        body = f'{{"version": {app.edit_version}, "changes": {{"area": "{next(counter) % 90 + 1}.25"}}}}'
        response = client.post(url, body, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"autosave answered {response.status_code}")

    median, worst = timed(save, 100)
    print(f"autosave round trip (SQLite, test client): median {median:.2f} ms, max {worst:.2f} ms")
    median, worst = timed(lambda: client.get(f"/applications/{app.pk}/section/innovation/"), 30)
    print(f"render section 三 (largest table page): median {median:.2f} ms, max {worst:.2f} ms")


if __name__ == "__main__":
    main()

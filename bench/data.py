"""Many applicants, each with a complete draft that could be submitted, made fast in bulk for the benchmarks.

Run: .venv/bin/python bench/data.py [--n 100 1000 10000] [--database-url postgres://postgres@127.0.0.1:5432/bench_load]
(prints how long generating takes; uses a throwaway SQLite database, or creates and drops the given one)

Each applicant is what registration and the editor would leave: an approved 申报单位 and its account
(password `bench.common.PASSWORD`, hashed once with the project's hasher), an open call, and a draft
whose answers come from the schema-driven factory (tests/application_data.complete_data) with every
required evidence file attached, so the pre-submit check passes. Rows are written with bulk_create.
The evidence is one small real PDF per slot, stored once and referred to by every draft's row for
that slot (same bytes, same SHA-256), instead of 10,000 identical copies on disk.
"""

import argparse
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PASSWORD, approved_organisations, configure

BATCH = 500


@dataclass
class Draft:
    username: str
    application_id: int
    user_id: int


def required_slots(schema, data):
    from calls.schema.rules import condition_holds

    return [
        s for s in schema.slots if s.required or (s.required_when and condition_holds(schema, s.required_when, data))
    ]


def stored_evidence(slots):
    """slot key -> (stored name, size, sha256): one real PDF per slot, saved once to the media storage."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from applications.demo import demo_pdf

    stored = {}
    for slot in slots:
        content = demo_pdf(slot.key)
        name = default_storage.save(f"applications/bench/{slot.key}.pdf", ContentFile(content))
        stored[slot.key] = (name, len(content), hashlib.sha256(content).hexdigest())
    return stored


def drafts(n, start=0):
    """`n` new applicants, each with a complete, submittable draft of the open call; returns their Drafts."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Role, User
    from applications.models import Application, Attachment
    from regions.models import Region
    from tests.application_data import complete_data
    from tests.factories import open_call

    call = open_call()
    schema = call.schema
    regions = list(Region.objects.order_by("code"))
    data = complete_data(schema)
    slots = required_slots(schema, data)
    evidence = stored_evidence(slots)
    password = make_password(PASSWORD)
    now = timezone.now()
    made = []
    numbers = {r.pk: Application.objects.filter(call=call, lead_region=r).count() for r in regions}
    for first in range(start, start + n, BATCH):
        size = min(BATCH, start + n - first)
        organisations = approved_organisations(regions, range(first, first + size))
        users = User.objects.bulk_create(
            User(
                username=org.credit_code,
                role=Role.APPLICANT,
                full_name="李晓燕",
                email="contact@example.com",
                organisation=org,
                password=password,
                password_changed_at=now,
            )
            for org in organisations
        )
        applications = []
        for i, org, user in zip(itertools.count(first), organisations, users, strict=False):
            numbers[org.region_id] += 1
            applications.append(
                Application(
                    call=call,
                    schema_revision_id=call.current_revision_id,
                    organisation=org,
                    lead_region=org.region,
                    number=f"{call.year}-{org.region.code}-{numbers[org.region_id]:03d}",
                    data={**data, "cluster_name": f"{org.region.name}第{i + 1}先进制造业集群"},
                    created_by=user,
                )
            )
        applications = Application.objects.bulk_create(applications)
        Attachment.objects.bulk_create(
            Attachment(
                application=app,
                slot=slot.key,
                file=evidence[slot.key][0],
                original_name=f"{slot.key}.pdf",
                file_type="pdf",
                size=evidence[slot.key][1],
                sha256=evidence[slot.key][2],
                uploaded_by=user,
            )
            for app, user in zip(applications, users, strict=True)
            for slot in slots
        )
        made += [Draft(u.username, a.pk, u.pk) for u, a in zip(users, applications, strict=True)]
    return made


def check_submittable(draft):
    """Raise unless the draft passes the pre-submit check (so a failed submission is the server's doing)."""
    from applications.models import Application
    from applications.submission import pre_submit_check

    check = pre_submit_check(Application.objects.get(pk=draft.application_id))
    if not check.can_submit:
        raise SystemExit(
            f"generated draft is not submittable: {(check.sentences + [p.message for p in check.problems])[:3]}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--database-url", help="a PostgreSQL URL whose database (bench_*) is created and dropped")
    args = parser.parse_args()
    label = configure(args.database_url)
    from django.db import connection

    made = 0
    print(f"{'database':<14}{'N':>7}{'seconds':>9}{'per 1,000':>11}")
    for n in sorted(args.n):
        start = time.perf_counter()
        batch = drafts(n - made, start=made)
        seconds = time.perf_counter() - start
        check_submittable(batch[-1])
        made = n
        print(f"{label:<14}{n:>7}{seconds:>9.1f}{seconds / len(batch) * 1000:>11.1f}   (+{len(batch)} drafts)")
    connection.close()


if __name__ == "__main__":
    main()

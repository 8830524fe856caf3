"""Builders for valid organisations and accounts of every role, so tests state only what matters."""

import functools
import itertools

from django.contrib.auth.hashers import get_hasher, make_password

from accounts.models import Organisation, Role, User
from accounts.validators import credit_code_check_character
from regions.models import Region

PASSWORD = "Test#Pass2024"
_serial = itertools.count(1)


@functools.cache
def _password_hash(algorithm: str) -> str:
    # Hashing is slow on purpose (Argon2 in production); hash the shared test password once per hasher.
    return make_password(PASSWORD, hasher=algorithm)


def credit_code(region_code: str = "150200") -> str:
    first17 = f"91{region_code}{next(_serial):09d}"
    return first17 + credit_code_check_character(first17)


def organisation(region_code: str = "150200", status=Organisation.Status.APPROVED, **fields) -> Organisation:
    region = Region.objects.get(code=region_code)
    defaults = {
        "name": f"{region.name}测试产业集群促进会",
        "credit_code": credit_code(region_code),
        "legal_representative": "王建国",
        "address": f"内蒙古自治区{region.name}测试路 1 号",
        "region": region,
        "contact_name": "李晓燕",
        "contact_mobile": "13904720001",
        "email": "contact@example.com",
        "status": status,
    }
    defaults.update(fields)
    return Organisation.objects.create(**defaults)


def user(role: Role, *, region_code: str | None = None, organisation_obj=None, **fields) -> User:
    """An active account of `role`. Applicants get an approved organisation, bureaus a region."""
    if role == Role.APPLICANT and organisation_obj is None:
        organisation_obj = organisation(region_code or "150200")
    if role == Role.BUREAU and region_code is None:
        region_code = "150200"
    account = User(
        username=fields.pop("username", None)
        or (organisation_obj.credit_code if organisation_obj else f"{role}{next(_serial)}"),
        role=role,
        full_name=fields.pop("full_name", "测试用户"),
        email="user@example.com",
        organisation=organisation_obj,
        region=Region.objects.get(code=region_code) if region_code else None,
        **fields,
    )
    account.password = _password_hash(get_hasher().algorithm)
    account.save()
    return account


def open_call(code: str = "cluster-2024"):
    """The call, published with its applicant window open now (closing in ten days)."""
    from datetime import timedelta

    from django.utils import timezone

    from calls.models import Call

    now = timezone.now()
    call = Call.objects.get(code=code)
    call.is_published = True
    call.applicant_opens_at = now - timedelta(days=10)
    call.applicant_closes_at = now + timedelta(days=10)
    call.recommend_deadline = now + timedelta(days=20)
    call.save()
    return call


def put_back(reference_rows):
    """Restore the rows of the data migrations (conftest `reference_rows`) after a transactional test's flush.

    In one transaction: a call and its current revision point at each other, and the database checks
    the pair at commit."""
    from django.core import serializers
    from django.db import transaction

    from regions.models import Region

    if Region.objects.exists():
        return
    with transaction.atomic():
        for obj in serializers.deserialize("json", reference_rows):
            obj.save()


def pinned(call):
    """What a Version made by hand needs to name its schema: the call's current revision, pinned."""
    schema = call.schema
    return {
        "schema_revision": call.current_revision,
        "schema_code": schema.code,
        "schema_version": schema.version,
        "schema_digest": call.current_revision.digest,
    }


def application(applicant_user=None, call=None, data=None):
    """A draft application of an approved applicant for an open call, with `data` if given."""
    from applications.records import start_application

    applicant_user = applicant_user or user(Role.APPLICANT)
    app = start_application(applicant_user, call or open_call())
    if data is not None:
        app.data = data
        app.save()
    return app


def attach_required(app, user, skip=()):
    """Upload a small real PDF into every attachment slot the application's answers make required."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.attachments import add_attachment
    from applications.demo import demo_pdf
    from calls.schema.rules import condition_holds

    schema = app.call.schema
    for slot in schema.slots:
        needed = slot.required or (slot.required_when and condition_holds(schema, slot.required_when, app.data))
        if needed and slot.key not in skip:
            add_attachment(app, slot.key, SimpleUploadedFile(f"{slot.key}.pdf", demo_pdf(slot.key)), user)


def submitted_application(region_code="150200", data=None, **organisation_fields):
    """A complete application (the demo's figures) of a new applicant in `region_code`, submitted as 第1版.

    Needs MEDIA_ROOT pointed somewhere disposable (the `media` fixture) for its evidence files.
    """
    from applications import demo, submission

    org = organisation(region_code, **organisation_fields)
    applicant_user = user(Role.APPLICANT, organisation_obj=org)
    app = application(applicant_user, data={**application_defaults(), **demo.COMPLETE, **(data or {})})
    attach_required(app, applicant_user)
    submission.submit(app, applicant_user)
    app.refresh_from_db()
    return app


def application_defaults():
    from calls.models import Call

    schema = Call.objects.get(code="cluster-2024").schema
    return {f.key: f.default for f in schema.fields.values() if f.default}


def upload(name="sealed.pdf"):
    """A small real file for a reviewer's upload: a PDF, or a PNG when `name` ends in .png."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.demo import demo_pdf

    if name.endswith(".png"):
        return SimpleUploadedFile(name, PNG_1PX, content_type="image/png")
    return SimpleUploadedFile(name, demo_pdf("sealed scan"), content_type="application/pdf")


# A 1×1 transparent PNG: the smallest real photo a site-visit record can carry (it decodes whole,
# as uploaded pictures must: applications.attachments refuses corrupt ones).
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def resubmit(app, changes, reason="请核实数据。", note="已按退回意见核实并修改数据。"):
    """The 盟市 returns `app` with `reason`; its applicant changes `changes` and submits the next version,
    saying so in its 修改说明 `note`."""
    from applications import submission
    from reviews import initial_review

    bureau = user(Role.BUREAU, region_code=app.lead_region.code)
    initial_review.return_for_revision(app, bureau, reason)
    app.refresh_from_db()
    app.data = {**app.data, **changes}
    app.save()
    submission.submit(app, app.created_by, revision_note=note)
    app.refresh_from_db()
    return app


def expert(region_code=None, *, fields=("economics",), status="available", ties=(), **user_fields):
    """An expert account with its 专家库 entry (reviews.models.ExpertProfile): fields are taxonomy codes
    (calls/expertise.py), ties are (credit code, name) pairs."""
    from reviews.models import ExpertProfile, ExpertTie

    account = user(Role.EXPERT, region_code=region_code, **{"affiliation": "内蒙古大学", **user_fields})
    profile = ExpertProfile(expert=account, title="教授", status=status)
    profile.fields = list(fields)
    profile.save()
    for code, name in ties:
        ExpertTie.objects.create(profile=profile, credit_code=code, name=name)
    return account

"""Starting an application and reading it through its call's schema."""

from typing import cast

from django.db import IntegrityError, transaction

from applications.models import Application, Attachment
from calls.models import Call
from calls.schema import Context, validate
from regions import names as region_names


def start_application(user, call):
    """The organisation's one application for `call`, created with the schema's defaults if new.

    It answers the revision current when it is created, read under the call's row lock: a revision
    published at the same moment (authoring.editing.publish) either comes first, or moves it after.
    """
    organisation = user.organisation
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing:
        return existing
    # 申报编号 counts per prefix, year and 盟市: two calls of one year have different prefixes.
    stem = f"{call.number_prefix}{call.year}-{organisation.region.code}-"
    for attempt in range(5):
        sequence = Application.objects.filter(number__startswith=stem).count() + 1 + attempt
        try:
            with transaction.atomic():
                locked = Call.objects.select_for_update().get(pk=call.pk)
                schema = locked.schema
                return Application.objects.create(
                    call=locked,
                    # Not None: reading locked.schema above raised RevisionMissing otherwise.
                    schema_revision_id=cast(int, locked.current_revision_id),
                    organisation=organisation,
                    lead_region=organisation.region,
                    number=f"{stem}{sequence:03d}",
                    data={f.key: f.default for f in schema.fields.values() if f.default},
                    created_by=user,
                )
        except IntegrityError:
            existing = Application.objects.filter(call=call, organisation=organisation).first()
            if existing:
                return existing
    raise RuntimeError("无法生成申报编号")


def answered(value):
    """Whether a stored value holds an answer: not empty, and not a list of empty entries."""
    return value not in (None, "", []) and not (isinstance(value, list) and not any(value))


def attachment_counts(application):
    counts: dict[str, int] = {}
    for slot in application.attachments.active().values_list("slot", flat=True):
        counts[slot] = counts.get(slot, 0) + 1
    return counts


def context_of(application, submitted_at=None):
    region = application.lead_region
    return Context(
        organisation_name=application.organisation.name,
        lead_region_code=region.code,
        lead_region_name=region.name,
        lead_bureau=region.bureau_name,
        submitted_at=submitted_at or application.submitted_at,
        regions=region_names.current(),
        attachments=attachment_counts(application),
    )


def report_of(application):
    return validate(application.schema, application.data, context_of(application))


def active_attachments(application, slot=None):
    qs = Attachment.objects.active().filter(application=application)
    return qs.filter(slot=slot) if slot else qs

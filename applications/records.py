"""Starting an application and reading it through its call's schema."""

from django.db import IntegrityError, transaction

from applications.models import Application, Attachment
from calls.schema import Context, validate
from regions import names as region_names


def start_application(user, call):
    """The organisation's one application for `call`, created with the schema's defaults if new."""
    organisation = user.organisation
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing:
        return existing
    schema = call.schema
    data = {f.key: f.default for f in schema.fields.values() if f.default}
    for attempt in range(5):
        sequence = Application.objects.filter(call=call, lead_region=organisation.region).count() + 1 + attempt
        try:
            with transaction.atomic():
                return Application.objects.create(
                    call=call,
                    organisation=organisation,
                    lead_region=organisation.region,
                    number=f"{call.year}-{organisation.region.code}-{sequence:03d}",
                    data=data,
                    created_by=user,
                )
        except IntegrityError:
            existing = Application.objects.filter(call=call, organisation=organisation).first()
            if existing:
                return existing
    raise RuntimeError("无法生成申报编号")


def attachment_counts(application):
    counts = {}
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
    return validate(application.call.schema, application.data, context_of(application))


def active_attachments(application, slot=None):
    qs = Attachment.objects.active().filter(application=application)
    return qs.filter(slot=slot) if slot else qs

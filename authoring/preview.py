"""A revision as applicants and printers will see it before it is published: the whole form, and the
documents the call prints filled with the schema's sample answers (calls.schema.samples).

Nothing here is stored: the sample application is never saved, and its documents carry a 预览
watermark and no verification code.
"""

import hashlib
from dataclasses import dataclass

from applications import attachments as attachment_service
from applications.form import section_blocks
from applications.models import Application
from calls.schema import Context
from calls.schema.checks import derivations
from calls.schema.samples import complete_data
from documents.record import Record
from regions import names as region_names
from regions.models import Region

SAMPLE_ORGANISATION = "（示例）申报单位名称"
SAMPLE_FILE_SIZE = 245_760


@dataclass(frozen=True)
class SectionPreview:
    section: object
    blocks: list  # applications.form.section_blocks, as the editor lays them out
    slots: list  # (slot, its accepted types in words) of the section's attachment slots


def _sample_region():
    return Region.objects.order_by("code").first()


def _context(schema, region, attached):
    return Context(
        organisation_name=SAMPLE_ORGANISATION,
        lead_region_code=region.code,
        lead_region_name=region.name,
        lead_bureau=region.bureau_name,
        regions=region_names.current(),
        attachments={slot.key: 1 for slot in schema.slots} if attached else {},
    )


def sample_data(schema, sample):
    """The schema's sample answers, or what a new application starts with (its defaults)."""
    if sample:
        return complete_data(schema)
    return {f.key: f.default for f in schema.fields.values() if f.default}


def form_preview(call, revision, sample=False):
    """Every section of the form as the editor shows it, blank (with defaults) or with sample answers."""
    schema = revision.schema_at(call.year)
    data = sample_data(schema, sample)
    context = _context(schema, _sample_region(), attached=sample)
    regions = region_names.current().items()
    return schema, [
        SectionPreview(
            section=section,
            blocks=section_blocks(schema, section, data, {}, context, regions, derivations=derivations(schema)),
            slots=[(slot, attachment_service.accepted_types(slot)) for slot in schema.slots_for(section.key)],
        )
        for section in schema.sections
    ]


def sample_record(call, revision):
    """A Record of the sample answers, for documents.rendering: a 预览, never a real application."""
    schema = revision.schema_at(call.year)
    region = _sample_region()
    application = Application(
        call=call,
        schema_revision=revision,
        number=f"{call.number_prefix}{call.year}-{region.code}-000",
        lead_region=region,
    )
    files = [
        {
            "slot": slot.key,
            "name": f"{slot.label}（示例）.pdf",
            "size": SAMPLE_FILE_SIZE,
            "sha256": hashlib.sha256(slot.key.encode()).hexdigest(),
        }
        for slot in schema.slots
        if slot.required or slot.required_when
    ]
    data = complete_data(schema)
    return Record(application, schema, data, _context(schema, region, attached=True), files, preview=True)

"""Keeps dashboards.models in step with the versions: written as each version is frozen, rebuilt for older ones.

`record` runs on every new Version (a post_save signal, dashboards/apps.py), so inside the
submission's transaction: the figures of a submission are there exactly when its version is.
`rebuild` writes them for versions made without it (bulk-made benchmark and test data).
"""

from decimal import ROUND_HALF_UP

from dashboards.models import SCALE, FigureValue, SubmittedFigures, new_stamp
from dashboards.statistics import number

CHUNK = 500  # applications rebuilt per batch


def stat_cells(schema):
    """Every cell the dashboards read: each year of a per-year figure of `statistics:`, or its one cell."""
    return [cell.name for group in schema.statistics for f in group.figures for cell in schema.fields[f.key].cells]


def scaled(value):
    """A Decimal as the integer SUM, MIN and MAX work on: value × 10**SCALE."""
    return int(value.scaleb(SCALE).quantize(1, rounding=ROUND_HALF_UP))


def _values(application, data, cells):
    for cell in cells:
        raw = data.get(cell)
        value = number(raw)
        if value is not None:
            yield {
                "application_id": application.pk,
                "call_id": application.call_id,
                "cell": cell,
                "raw": str(raw),
                "scaled": scaled(value),
            }


def _summary(version, schema):
    data = version.data
    category = schema.role("category")
    return {
        "version_id": version.pk,
        "version_number": version.number,
        "title": schema.title_of(data),
        "category": str(data.get(category.key) or "") if category else "",
        "stamp": new_stamp(),
    }


def record(version, schema=None):
    """Make `version`'s figures its application's, unless a higher-numbered version's are already there."""
    current = SubmittedFigures.objects.filter(pk=version.application_id).values_list("version_number", flat=True)
    if current and current[0] > version.number:
        return
    schema = schema or version.schema
    FigureValue.objects.filter(application_id=version.application_id).delete()
    SubmittedFigures.objects.update_or_create(application_id=version.application_id, defaults=_summary(version, schema))
    FigureValue.objects.bulk_create(
        FigureValue(**row) for row in _values(version.application, version.data, stat_cells(schema))
    )


def rebuild(versions):
    """Write the figures of the latest of `versions` (a Version queryset) for each of their applications,
    each read through the schema revision its version pinned."""
    latest = {}
    ordered = versions.select_related("application__call")
    for version in ordered.order_by("application_id", "number").iterator():
        latest[version.application_id] = version
    ids = list(latest)
    schemas = {}  # revision -> (schema, its statistics cells)
    for start in range(0, len(ids), CHUNK):
        chunk = [latest[pk] for pk in ids[start : start + CHUNK]]
        for version in chunk:
            if version.schema_revision_id not in schemas:
                schema = version.schema
                schemas[version.schema_revision_id] = (schema, stat_cells(schema))
        FigureValue.objects.filter(application_id__in=[v.application_id for v in chunk]).delete()
        SubmittedFigures.objects.filter(application_id__in=[v.application_id for v in chunk]).delete()
        SubmittedFigures.objects.bulk_create(
            SubmittedFigures(application_id=v.application_id, **_summary(v, schemas[v.schema_revision_id][0]))
            for v in chunk
        )
        rows = []
        for version in chunk:
            cells = schemas[version.schema_revision_id][1]
            rows.extend(FigureValue(**row) for row in _values(version.application, version.data, cells))
        FigureValue.objects.bulk_create(rows, batch_size=2000)
    return len(ids)

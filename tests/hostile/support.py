"""Helpers of the hostile-input suite: what is stored, and posting an autosave body as it comes."""

import json

from django.urls import reverse

from applications.models import Application


def stored(application):
    """Everything an edit could change, read afresh from the database, as comparable bytes."""
    row = Application.objects.get(pk=application.pk)
    return (
        json.dumps(row.data, sort_keys=True, ensure_ascii=False).encode(),
        json.dumps(row.cell_versions, sort_keys=True).encode(),
        row.edit_version,
    )


def post_autosave(client, application, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(reverse("applications:autosave", args=[application.pk]), data=data, content_type=content_type)

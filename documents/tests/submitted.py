"""Applications already submitted (and possibly recommended), made directly: the lists read versions."""

from django.utils import timezone

from accounts.models import Role
from applications.models import Version
from tests import factories
from tests.application_data import complete_data


def submitted(call, region_code="150200", status="submitted", versions=1, **changes):
    """An application of a new applicant in `region_code`, with `versions` frozen versions and `status`.

    Version n holds complete data with `changes` and its output for the last year raised by n, so
    a test can tell the versions apart; the draft keeps the last version's data.
    """
    user = factories.user(Role.APPLICANT, region_code=region_code)
    app = factories.application(user, call)
    schema = call.schema
    last = f"output__{schema.years[-1]}"
    data = {}
    for number in range(1, versions + 1):
        data = {**complete_data(schema), **changes}
        data[last] = f"{100 + number}.25" if last not in changes else changes[last]
        Version.objects.create(
            application=app,
            number=number,
            data=data,
            **factories.pinned(call),
            content_hash=f"{app.pk:032x}{number:032x}",
            submitted_at=timezone.now(),
            submitted_by=user,
        )
    app.data = data or {**complete_data(schema), **changes}
    app.status = status
    app.submitted_at = timezone.now() if versions else None
    app.save()
    return app

"""Downloads of documents and spreadsheets, the Excel import, summaries, and the public verify page."""

from django.http import Http404

from accounts import scoping
from applications.models import Version
from documents.record import record_of


def record_for(request, application):
    """?version=N for a frozen version; without it the applicant's own draft — reviewers get the latest
    submitted version, never a draft in progress."""
    number = request.GET.get("version")
    if number is None and not scoping.is_applicant_of(request.user, application):
        latest = application.latest_version
        if latest is None:
            raise Http404("申报书尚未提交")
        number = latest.number
    try:
        return record_of(application, int(number) if number is not None else None)
    except (ValueError, Version.DoesNotExist) as exc:
        raise Http404("没有这个版本") from exc

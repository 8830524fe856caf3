"""Reads of an application by anyone but its own applicant: another organisation's reads are what 等保 asks the
audit log to trace (docs/audit.md); the applicant's own draft work is not."""

from accounts import scoping
from audit.log import record


def record_view(request, application, obj=None, **detail):
    """A reviewer opening another organisation's application (or a page of its content): recorded
    for anyone but its own applicant, like a download."""
    if scoping.is_applicant_of(request.user, application):
        return None
    detail = {"application": application.pk, "number": application.number, **detail}
    return record("view", request=request, obj=obj or application, detail=detail)


def record_download(request, application, obj=None, **detail):
    """A download of an application's document or file by anyone but its own applicant (other
    organisations' reads are what 等保 asks to trace; the applicant's own draft work is not)."""
    if scoping.is_applicant_of(request.user, application):
        return None
    detail = {"application": application.pk, "number": application.number, **detail}
    return record("download", request=request, obj=obj or application, detail=detail)

"""Views for the applicant's record: the section editor and autosave, attachments, submission."""

from django.http import Http404

from accounts import scoping


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    try:
        return scoping.applications_for(user).get(pk=pk)
    except scoping.applications_for(user).model.DoesNotExist as exc:
        raise Http404("申报书不存在") from exc

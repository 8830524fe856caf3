"""Views for the applicant's record: the section editor and autosave, attachments, submission."""

from django.http import Http404

from applications.models import Application


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    try:
        return Application.objects.visible_to(user).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("申报书不存在") from exc

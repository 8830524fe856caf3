"""Views for the applicant's record: the section editor and autosave, attachments, submission."""

from accounts import scoping
from applications.models import Application


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    return scoping.get_visible_or_404(Application.objects.visible_to(user), pk=pk)

"""Pages of the review workflow: the 盟市 and 自治区 inbox and review page, 初审, 自治区 steps, experts."""

from accounts import scoping
from applications.models import Application
from reviews.models import ExpertReview


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    return scoping.get_visible_or_404(Application.objects.visible_to(user), pk=pk)


def expert_review_for(user, pk):
    """The expert review `pk` if the user may see it (its expert, or the 自治区); otherwise 404."""
    return scoping.get_visible_or_404(ExpertReview.objects.visible_to(user), pk=pk)

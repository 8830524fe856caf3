"""Pages of the review workflow: the 盟市 and 自治区 inbox and review page, 初审, 自治区 steps, experts."""

from django.http import Http404

from applications.models import Application
from reviews.models import ExpertReview


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    try:
        return Application.objects.visible_to(user).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("申报书不存在") from exc


def expert_review_for(user, pk):
    """The expert review `pk` if the user may see it (its expert, or the 自治区); otherwise 404."""
    try:
        return ExpertReview.objects.visible_to(user).get(pk=pk)
    except ExpertReview.DoesNotExist as exc:
        raise Http404("评审任务不存在") from exc

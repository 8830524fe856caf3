"""Pages of the review workflow: the 盟市 and 自治区 inbox and review page, 初审, 自治区 steps, experts."""

from django.http import Http404

from accounts import scoping


def application_for(user, pk):
    """The application `pk` if the user may see it; otherwise 404, so its existence does not leak."""
    try:
        return scoping.applications_for(user).get(pk=pk)
    except scoping.applications_for(user).model.DoesNotExist as exc:
        raise Http404("申报书不存在") from exc


def expert_review_for(user, pk):
    """The expert review `pk` if the user may see it (its expert, or the 自治区); otherwise 404."""
    try:
        return scoping.expert_reviews_for(user).get(pk=pk)
    except scoping.expert_reviews_for(user).model.DoesNotExist as exc:
        raise Http404("评审任务不存在") from exc

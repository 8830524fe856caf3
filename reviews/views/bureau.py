"""盟市初审 on the review page: the 实地核实 record and 推荐 (退回 is shared with the 自治区, in detail.py), and
the participating 盟市's 会签."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts import scoping
from applications.workflow import WorkflowRefused
from audit import refusals
from reviews import countersign as countersigning
from reviews import initial_review
from reviews.forms import CountersignForm, RecommendForm, SiteVisitForm
from reviews.views.detail import official_application, review_page


def led_application(request, pk):
    """The application, if this 盟市工信局 leads it; a participating 盟市 or the 自治区 may only read it."""
    application = official_application(request, pk)
    if not scoping.leads_application(request.user, application):
        raise PermissionDenied("只有牵头盟市工信局可以办理初审。")
    return application


@login_required
@require_POST
def site_visit(request, pk):
    application = led_application(request, pk)
    form = SiteVisitForm(request.POST, request.FILES)
    if form.is_valid():
        chosen = form.cleaned_data
        try:
            initial_review.record_site_visit(
                application,
                request.user,
                chosen["visited_on"],
                chosen["people"],
                chosen["findings"],
                photos=chosen["photos"],
            )
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "site_visit"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已记录实地核实情况。")
            return redirect("reviews:detail", pk=application.pk)
    return review_page(request, application, status=400, site_visit_form=form)


@login_required
@require_POST
def recommend(request, pk):
    application = led_application(request, pk)
    form = RecommendForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            initial_review.recommend(
                application, request.user, form.cleaned_data["opinion"], form.cleaned_data["sealed_file"]
            )
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "recommend"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已推荐至自治区工业和信息化厅，推荐意见和推荐文件已存档。")
            return redirect("reviews:detail", pk=application.pk)
    return review_page(request, application, status=400, recommend_form=form)


@login_required
@require_POST
def countersign(request, pk):
    """会签 by a participating 盟市工信局: 同意/不同意 and its opinion on the version under 初审."""
    application = official_application(request, pk)
    if not scoping.may_countersign(request.user, application):
        raise PermissionDenied("只有参与盟市工信局可以在牵头盟市推荐前会签。")
    form = CountersignForm(request.POST)
    if form.is_valid():
        try:
            countersigning.record_opinion(application, request.user, form.agrees, form.cleaned_data["opinion"])
        except WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "countersign"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "会签意见已提交，已通知牵头盟市。")
            return redirect("reviews:detail", pk=application.pk)
    return review_page(request, application, status=400, countersign_form=form)

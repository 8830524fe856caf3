"""评审专家: the task list, the conflict-of-interest declaration, and the score sheet of one review.

An expert reaches only its own reviews (accounts.scoping); the 自治区 follows scores on its own
pages (reviews:scores), so this page is the expert's alone. Nothing of the content is shown until
the expert has declared no conflict of interest.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import scoping
from accounts.models import Role
from applications import reads
from audit import refusals
from reviews import countersign, expert_forms, experts, invitations, presentation
from reviews.draw_forms import DeclineForm
from reviews.expert_forms import DeclarationForm
from reviews.models import ExpertDraw, ExpertReview
from reviews.views import expert_review_for


def home_context(user):
    """The expert's home page: the count in each group and the tasks still waiting for it."""
    groups = expert_forms.task_groups(user)
    return {
        "task_groups": groups,
        "pending_tasks": [t for g in groups if g.is_pending for t in g.tasks],
    }


@login_required
@scoping.require_role(Role.EXPERT)
def tasks(request):
    context = {
        "groups": expert_forms.task_groups(request.user),
        "led_groups": scoping.draws_for(request.user, ExpertDraw.objects.order_by("-drawn_at")),
    }
    return render(request, "reviews/expert/tasks.html", context)


def _own_review(user, review_pk):
    """The expert's own review; anyone else — the 自治区 included — is told it does not exist."""
    if not scoping.has_role(user, Role.EXPERT):
        raise scoping.not_visible(ExpertReview, pk=review_pk)
    return expert_review_for(user, review_pk)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, review_pk):
    """GET: the declaration, the recusal, or the content with the score sheet. POST: 暂存 or 提交评分."""
    review = _own_review(request.user, review_pk)
    if review.is_readable:  # declared no conflict: the content is open
        if request.method == "POST":
            return _record_sheet(request, review)
        reads.record_view(request, review.application, page="expert_review", version=review.version.number)
        return _render_scoring(request, review)
    if request.method == "POST":  # nothing to save before the declaration, or after a recusal
        return redirect("reviews:expert_review", review_pk=review.pk)
    if review.status == ExpertReview.Status.RECUSED:
        return render(request, "reviews/expert/recused.html", _identity(review))
    return _render_declaration(request, review, DeclarationForm())


@login_required
@require_POST
def declare(request, review_pk):
    review = _own_review(request.user, review_pk)
    if review.status != ExpertReview.Status.ASSIGNED:
        messages.info(request, "您已作出利益冲突声明，不能更改。")
        return redirect("reviews:expert_review", review_pk=review.pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            experts.declare(review, request.user, form.has_conflict, form.cleaned_data["statement"])
        except experts.ReviewRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=review.application, detail={"step": "declare"})
            form.add_error(None, str(exc))
        else:
            if form.has_conflict:
                messages.success(request, "已记录您的回避申请，您将不参与该申报的评审。")
            else:
                messages.success(request, "已确认不存在利益冲突，现在可以查看申报材料并评分。")
            return redirect("reviews:expert_review", review_pk=review.pk)
    return _render_declaration(request, review, form, status=400)


def _record_sheet(request, review):
    duplicated = expert_forms.duplicated_on_sheet(review, request.POST)
    if duplicated:
        refused = "部分内容提交了多个值，本次未保存，请刷新页面后重新填写。"
        return _render_scoring(request, review, posted=request.POST, errors=duplicated, refused=refused, status=400)
    action = request.POST.get("action")
    if action not in ("save", "submit"):
        return _render_scoring(request, review, posted=request.POST, refused="请点击“暂存”或“提交评分”。", status=400)
    record = experts.submit_sheet if action == "submit" else experts.save_sheet
    try:
        row, sheet = record(review, request.user, request.POST)
    except experts.ReviewRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=review.application, detail={"step": f"score_{action}"})
        return _render_scoring(request, review, posted=request.POST, refused=str(exc), status=409)
    if sheet.errors:
        return _render_scoring(request, row, posted=request.POST, errors=sheet.errors, action=action, status=400)
    if row.status == ExpertReview.Status.SUBMITTED:
        messages.success(request, "评分已提交。感谢您的评审！")
    else:
        messages.success(request, "评分已暂存，可继续修改；评审截止前请提交。")
    return redirect(reverse("reviews:expert_review", args=[row.pk]) + "#score-sheet")


def _identity(review, **context):
    """What the expert may see before reading the content: who applied, from where, by when."""
    return {"review": review, "task": expert_forms.task_of(review), **context}


@login_required
@require_POST
def decline(request, review_pk):
    """谢绝邀请 of a drawn expert, with a reason: the next reserve is invited (reviews/invitations.py)."""
    review = _own_review(request.user, review_pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            invitations.decline(review, request.user, form.cleaned_data["reason"])
        except invitations.InvitationRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=review.application, detail={"step": "decline"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已谢绝邀请。感谢您的答复，自治区工业和信息化厅将另请备选专家。")
            return redirect("reviews:expert_tasks")
    return _render_declaration(request, review, DeclarationForm(), status=400, decline_form=form)


def _render_declaration(request, review, form, status=200, decline_form=None):
    context = _identity(
        review,
        form=form,
        decline_form=decline_form or DeclineForm(),
        declaration_lead=expert_forms.DECLARATION_LEAD,
        declaration_items=expert_forms.DECLARATION_ITEMS,
        declaration_promise=expert_forms.DECLARATION_PROMISE,
    )
    return render(request, "reviews/expert/declare.html", context, status=status)


def _render_scoring(request, review, posted=None, errors=None, refused="", action="", status=200):
    view = presentation.version_view(review.application, review.version)
    closed = expert_forms.closed_reason(review)
    context = _identity(
        review,
        view=view,
        sheet=expert_forms.score_sheet(review, posted, errors),
        editable=not closed,
        closed_reason=closed,
        refused=refused,
        failed_action=action,
        # The participating 盟市's 会签 opinions, once the expert may read the application (scoping decides).
        countersign=countersign.overview(request.user, review.application),
    )
    return render(request, "reviews/expert/review.html", context, status=status)

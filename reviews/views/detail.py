"""One application under review, as the 盟市工信局 and the 自治区工信厅 read it: the frozen version with
its cross-check warnings, the documents and files of that version, every opinion, and what they may do now."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import scoping
from accounts.models import Role
from applications import history, reads, workflow
from applications.models import Application, Status
from applications.workflow import ActionCode
from audit import refusals
from calls import deadlines
from reviews import countersign, decisions, files, initial_review
from reviews.diff import changed_since_return
from reviews.forms import CountersignForm, RecommendForm, ReturnForm, SiteVisitForm
from reviews.models import Recommendation, SiteVisitPhoto
from reviews.presentation import version_view
from reviews.views import application_for

logger = logging.getLogger(__name__)

OFFICIALS = (Role.BUREAU, Role.DEPARTMENT)
ACTION_FLAGS = (
    "may_countersign",
    "may_record_site_visit",
    "may_return",
    "may_recommend",
    "bureau_blocked",
    "may_accept",
    "may_decide",
    "may_establish",
    "may_see_scores",
)
REVIEW_FILES: dict[str, type[SiteVisitPhoto] | type[Recommendation]] = {
    "photo": SiteVisitPhoto,
    "recommendation": Recommendation,
}


def official_application(request, pk):
    """The application for a 盟市工信局 or the 自治区; anyone else (an expert included) is told it is not found."""
    if not scoping.has_role(request.user, *OFFICIALS):
        raise scoping.not_visible(Application, pk=pk)
    return application_for(request.user, pk)


@login_required
def detail(request, pk):
    if scoping.has_role(request.user, Role.APPLICANT):
        # An applicant follows its own application on its overview; this page is the reviewers'.
        return redirect("applications:overview", pk=pk)
    application = official_application(request, pk)
    reads.record_view(request, application, page="review")
    return review_page(request, application)


def review_page(request, application, *, status=200, **forms):
    """The review page; a refused or invalid post passes its bound form back with the message in it."""
    return render(request, "reviews/detail.html", review_context(request.user, application, forms), status=status)


def review_context(user, application, forms):
    version = application.latest_version
    codes = {action.code for action in workflow.actions_for(user, application)}
    leads = scoping.leads_application(user, application)
    context = {
        "app": application,
        "version": version,
        "view": version_view(application, version) if version else None,
        "participating": application.participating_regions.order_by("code"),
        "changes_since_return": changed_since_return(application) is not None,
        "leads": leads,
        "read_only": scoping.has_role(user, Role.BUREAU) and not leads,
        "deadline": stage_deadline(user, application, leads),
        "site_visit_form": forms.get("site_visit_form") or SiteVisitForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "recommend_form": forms.get("recommend_form") or RecommendForm(),
        "countersign_form": forms.get("countersign_form") or CountersignForm(),
        "countersign": countersign.overview(user, application),
        "own_countersign": countersign.own_opinion(user, application),
        "may_record_site_visit": scoping.may_record_site_visit(user, application),
        "may_countersign": False,
        "may_return": bool(codes & {ActionCode.BUREAU_RETURN, ActionCode.REGION_RETURN}),
        "may_recommend": ActionCode.RECOMMEND in codes,
        "bureau_blocked": bureau_blocked(user, application, leads, codes),
        "may_accept": ActionCode.ACCEPT in codes,
        "may_decide": bool(codes & {ActionCode.SUPPORT, ActionCode.REJECT}),
        "may_establish": ActionCode.ESTABLISH in codes,
        # 评分情况 exists once experts were assigned: 专家评审中 and every state after it.
        "may_see_scores": scoping.may_manage_experts(user) and application.is_accepted,
        # The official PDFs' generation, signature and hashes: for the 自治区 that may regenerate them, under 技术信息.
        "official_files": bool(version) and scoping.may_regenerate_official_document(user, application),
    }
    context["may_countersign"] = scoping.may_countersign(user, application) and context["own_countersign"] is None
    context["records"] = scoping.may_review_records(user, application)
    if context["records"]:
        visits = application.site_visits.select_related("version", "recorded_by").prefetch_related("photos")
        context.update(
            history=history.entries(application, user),
            site_visits=visits,
            visited_this_version=bool(version) and any(v.version_id == version.pk for v in visits),
            recommendations=Recommendation.objects.filter(application=application).select_related(
                "version", "uploaded_by"
            ),
        )
    # A form posted back with its message is shown even if the action is no longer open (a deadline passed).
    context["has_actions"] = bool(forms) or any(context[name] for name in ACTION_FLAGS)
    return context


def stage_deadline(user, application, leads):
    """The deadline of the step this official is to take now, if any: 推荐 for the lead 盟市, 受理 for the 自治区."""
    if leads and application.status == Status.SUBMITTED:
        label, moment = "盟市推荐截止", deadlines.recommend_deadline(application.call, application.lead_region)
    elif scoping.has_role(user, Role.DEPARTMENT) and application.status == Status.RECOMMENDED:
        label, moment = "自治区受理截止", application.call.acceptance_deadline
    else:
        return None
    return {"label": label, "at": moment, "passed": deadlines.passed(moment)}


def bureau_blocked(user, application, leads, codes):
    """Why the lead 盟市 cannot act on an application waiting for it (its deadline passed), or ""."""
    if not leads or application.status != Status.SUBMITTED or ActionCode.RECOMMEND in codes:
        return ""
    return workflow.refusal(user, application, ActionCode.RECOMMEND) or ""


@login_required
@require_POST
def return_for_revision(request, pk):
    """退回修改 with a reason: by the lead 盟市 during 初审, or by the 自治区 at 受理."""
    user = request.user
    application = official_application(request, pk)
    if scoping.has_role(user, Role.BUREAU) and not scoping.leads_application(user, application):
        raise PermissionDenied("只有牵头盟市工信局可以退回这份申报。")
    form = ReturnForm(request.POST)
    if form.is_valid():
        service = initial_review if scoping.has_role(user, Role.BUREAU) else decisions
        try:
            service.return_for_revision(application, user, form.cleaned_data["reason"])
        except workflow.WorkflowRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "return"})
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已退回申报单位修改，退回理由已通知申报单位。")
            return redirect("reviews:detail", pk=application.pk)
    return review_page(request, application, status=400, return_form=form)


@login_required
def review_file(request, kind, file_id):
    """A 实地核实 photo or a sealed 推荐文件, for the officials who may read the review records."""
    model = REVIEW_FILES.get(kind)
    row = model.objects.select_related("application").filter(pk=file_id).first() if model else None
    if row is None:
        raise Http404("没有这个文件。")
    if not scoping.may_review_records(request.user, row.application):
        raise scoping.out_of_scope(row)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        logger.error("%s %s: stored file %s is missing", kind, row.pk, row.file.name)
        raise Http404("文件不存在。") from None
    response = FileResponse(
        handle, as_attachment=True, filename=row.original_name, content_type=files.content_type(row)
    )
    reads.record_download(request, row.application, row, kind=kind)
    # The type is the one recognised from the content at upload; the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

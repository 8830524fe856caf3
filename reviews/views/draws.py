"""随机抽取 pages: the draw for an application (or a 评审组), its 专家抽取记录, the check that re-runs it."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from accounts.models import Role
from applications import reads
from applications.models import Application, Status
from audit import refusals
from audit.log import record as audit
from calls import expertise
from documents.rendering import CONTENT_TYPES
from reviews import draw_record, draws, group, invitations
from reviews.draw_forms import DrawForm, LeaderForm
from reviews.models import ExpertDraw
from reviews.views import application_for

DOWNLOADS = {
    "pdf": (draw_record.record_pdf, CONTENT_TYPES["pdf"]),
    "docx": (draw_record.record_docx, CONTENT_TYPES["docx"]),
}


def _department_only(user):
    if not scoping.may_manage_expert_pool(user):
        raise PermissionDenied("只有自治区工业和信息化厅可以抽取专家。")


def draw_for(user, pk):
    """The draw `pk` if the user may see it (the 自治区); otherwise 404."""
    return scoping.get_visible_or_404(
        scoping.draws_for(user, ExpertDraw.objects.select_related("call", "drawn_by")), pk=pk
    )


def _group_choices(user, app):
    """Other applications of the same call waiting for 受理, which may join this one's 评审组."""
    visible = Application.objects.visible_to(user).filter(call_id=app.call_id, status=Status.RECOMMENDED)
    return visible.exclude(pk=app.pk).select_related("organisation").order_by("pk")


def _preview(apps, form):
    """How many experts the current settings leave, before drawing (the same rules as the draw)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    fields = list(data["expertise"]) if data else form["expertise"].initial or []
    cap = data["workload_cap"] if data else draws.workload_cap()
    rules = {"applications": [draws._applicant(a) for a in apps], "workload_cap": cap, "fields": fields}
    snapshot = draws.take_snapshot(apps)
    eligible = sum(1 for row in snapshot if not draws.exclusion(row, rules))
    return {"pool": len(snapshot), "eligible": eligible, "fields": expertise.labels(fields)}


@login_required
def draw_new(request, pk):
    _department_only(request.user)
    app = application_for(request.user, pk)
    if request.method == "GET":
        reads.record_view(request, app, page="draw")
    choices = _group_choices(request.user, app)
    form = DrawForm(request.POST or None, group_choices=choices, initial={"expertise": draws.fields_for([app])})
    if not choices.exists():
        del form.fields["group"]  # no other application of the call waits for 受理: no 评审组 to form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        apps = [app, *data.get("group", ())]
        try:
            made = draws.draw(
                apps,
                request.user,
                experts=data["experts"],
                reserves=data["reserves"],
                cap=data["workload_cap"],
                respond_by=data["respond_by"],
                fields=data["expertise"],
                supervisor=data["supervisor"],
            )
        except draws.DrawRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=app, detail={"step": "draw"})
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已随机抽取 {made.experts_wanted} 名专家和 {made.reserves_wanted} 名备选专家，"
                "并向抽中的专家发出邀请。",
            )
            return redirect("reviews:draw_record", made.pk)
    context = {
        "app": app,
        "form": form,
        "preview": _preview([app], form),
        "draws": app.expert_draws.order_by("-drawn_at"),
        "may_draw": app.awaits_acceptance or app.in_expert_review,
    }
    return render(request, "reviews/draws/new.html", context)


@login_required
def record(request, draw_pk):
    _department_only(request.user)
    invitations.expire_overdue()  # the check when the 自治区 opens the page (and the cron command's)
    made = draw_for(request.user, draw_pk)
    drawn, reserves, excluded = draw_record.lines(made)
    context = {
        "draw": made,
        "apps": made.applications.select_related("organisation").order_by("pk"),
        "drawn": drawn,
        "reserves": reserves,
        "excluded": excluded,
        "rules": draw_record.rules_text(made),
        "reviews": made.reviews.select_related("expert", "application").order_by("application_id", "assigned_at"),
    }
    return render(request, "reviews/draws/record.html", context)


@login_required
@require_POST
def verify(request, draw_pk):
    _department_only(request.user)
    made = draw_for(request.user, draw_pk)
    if draws.verify(made, request.user):
        messages.success(request, "复核一致：按记录中的专家库快照、规则和随机种子重新运行，抽取结果与记录完全相同。")
    else:
        messages.error(request, "复核不一致：重新运行的结果与记录不同，请立即报告。")
    return redirect("reviews:draw_record", made.pk)


@login_required
def document(request, draw_pk, fmt):
    _department_only(request.user)
    if fmt not in DOWNLOADS:
        raise Http404("不支持的格式")
    made = draw_for(request.user, draw_pk)
    render_file, content_type = DOWNLOADS[fmt]
    content = render_file(made)
    audit("download", obj=made, detail={"document": "draw_record", "format": fmt})
    stamp = timezone.localtime(made.drawn_at).strftime("%Y%m%d")
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"专家抽取记录-{made.pk}-{stamp}.{fmt}",
        content_type=content_type,
    )


# --- 评审组: its 组长, the combined score sheet and the 专家评审意见汇总 (the 自治区 and the 组长) ---

OPINIONS = {"pdf": (group.opinions_pdf, CONTENT_TYPES["pdf"]), "docx": (group.opinions_docx, CONTENT_TYPES["docx"])}


def _group_draw(request, draw_pk):
    if not scoping.has_role(request.user, Role.DEPARTMENT, Role.EXPERT):
        raise PermissionDenied("只有自治区工业和信息化厅和评审组组长可以查看评审组汇总。")
    return draw_for(request.user, draw_pk)


@login_required
def group_page(request, draw_pk):
    made = _group_draw(request, draw_pk)
    is_department = scoping.may_manage_expert_pool(request.user)
    form = LeaderForm(experts=group.members(made), initial={"leader": made.leader_id}) if is_department else None
    context = {"draw": made, "group": group.build(made), "form": form, "is_department": is_department}
    return render(request, "reviews/draws/group.html", context)


@login_required
@require_POST
def leader(request, draw_pk):
    _department_only(request.user)
    made = draw_for(request.user, draw_pk)
    form = LeaderForm(request.POST, experts=group.members(made))
    try:
        if not form.is_valid():
            raise group.GroupRefused("组长须是本评审组已接受邀请的专家。")
        made = group.set_leader(made, request.user, int(form.cleaned_data["leader"]))
    except group.GroupRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=made, detail={"step": "group_leader"})
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已指定{made.leader.full_name}为评审组组长，并通知本人。")
    return redirect("reviews:group", made.pk)


@login_required
def opinions(request, draw_pk, fmt):
    made = _group_draw(request, draw_pk)
    if fmt not in OPINIONS:
        raise Http404("不支持的格式")
    render_file, content_type = OPINIONS[fmt]
    content = render_file(group.build(made))
    audit("download", obj=made, detail={"document": "group_opinions", "format": fmt})
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"专家评审意见汇总-{made.pk}.{fmt}", content_type=content_type
    )

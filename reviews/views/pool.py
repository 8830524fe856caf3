"""The 专家库 pages of the 自治区工信厅: the searchable list, add and edit, 暂停/恢复, Excel import and export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import scoping
from audit import refusals
from audit.log import record
from calls import expertise
from documents.rendering import CONTENT_TYPES
from reviews import pool
from reviews.pool_excel import export_pool, read_pool
from reviews.pool_forms import ExpertForm, ImportForm, PauseForm, PoolFilterForm

XLSX = CONTENT_TYPES["xlsx"]
PAGE_SIZE = 30


def _experts(request):
    if not scoping.may_manage_expert_pool(request.user):
        raise PermissionDenied("只有自治区工业和信息化厅可以管理专家库。")
    return scoping.expert_pool_for(request.user)


def _filtered(request):
    experts = _experts(request)
    form = PoolFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        experts = pool.search(experts, data["q"].strip(), data["field"], data["region"], data["status"])
    return form, experts.order_by("full_name", "pk")


@login_required
def pool_list(request):
    form, experts = _filtered(request)
    page = Paginator(experts, PAGE_SIZE).get_page(request.GET.get("page"))
    workload = pool.open_tasks([e.pk for e in page])
    rows = [
        {
            "expert": e,
            "profile": getattr(e, "expert_profile", None),
            "fields": expertise.labels(e.expert_profile.fields) if hasattr(e, "expert_profile") else "",
            "open": workload.get(e.pk, 0),
        }
        for e in page
    ]
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    context = {"form": form, "page": page, "rows": rows, "query": query, "pause_form": PauseForm()}
    return render(request, "reviews/pool/list.html", context)


@login_required
def pool_export(request):
    _, experts = _filtered(request)
    experts = list(experts.prefetch_related("expert_profile__ties"))
    record("export", object_type="expertprofile", object_repr="专家库", detail={"count": len(experts)})
    return FileResponse(export_pool(experts), as_attachment=True, filename="专家库.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def pool_import(request):
    _experts(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        checked = read_pool(form.cleaned_data["file"])
        problems = checked.problems
        if not problems:
            try:
                created, updated = pool.import_entries(request.user, checked.rows)
            except pool.PoolRefused as exc:
                problems = [str(exc)]
            else:
                messages.success(
                    request, f"已导入专家库：新增 {created} 名（初始密码已发送给本人），更新 {updated} 名。"
                )
                return redirect("reviews:pool")
        if problems:
            refusals.refused(request, refusals.UPLOAD, detail={"step": "expert_pool_import", "problems": len(problems)})
    return render(request, "reviews/pool/import.html", {"form": form, "problems": problems})


@login_required
@require_http_methods(["GET", "POST"])
def pool_add(request):
    _experts(request)
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = pool.add_expert(request.user, form.entry())
        except pool.PoolRefused as exc:
            form.add_error("mobile", str(exc))
        else:
            messages.success(request, f"已将{expert.full_name}加入专家库，登录名为手机号码，初始密码已发送给本人。")
            return redirect("reviews:pool")
    return render(request, "reviews/pool/form.html", {"form": form, "expert": None})


@login_required
@require_http_methods(["GET", "POST"])
def pool_edit(request, pk):
    expert = scoping.get_visible_or_404(_experts(request), pk=pk)
    form = ExpertForm(request.POST or None, initial=ExpertForm.initial_for(expert))
    if request.method == "POST" and form.is_valid():
        try:
            pool.update_expert(request.user, expert, form.entry())
        except pool.PoolRefused as exc:
            form.add_error("mobile", str(exc))
        else:
            messages.success(request, f"已保存{form.cleaned_data['full_name']}的专家库信息。")
            return redirect("reviews:pool")
    return render(request, "reviews/pool/form.html", {"form": form, "expert": expert})


@login_required
@require_POST
def pool_status(request, pk):
    """暂停 (with a reason) or 恢复 one expert."""
    expert = scoping.get_visible_or_404(_experts(request), pk=pk)
    paused = request.POST.get("action") == "pause"
    form = PauseForm(request.POST if paused else None)
    try:
        if paused and not form.is_valid():
            raise pool.PoolRefused("请填写暂停的原因（不超过 150 字）。")
        pool.set_paused(request.user, expert, paused, form.cleaned_data["reason"] if paused else "")
    except pool.PoolRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已{'暂停' if paused else '恢复'}{expert.full_name}，{'暂停期间不参加抽取' if paused else '可参加抽取'}。",
        )
    return redirect(_back(request))


def _back(request):
    """The list as it was filtered (only its own filter parameters are kept)."""
    form = PoolFilterForm(QueryDict(request.POST.get("next_query", "")[:500]))
    kept = {k: v for k, v in form.data.items() if k in form.fields and v} if form.is_valid() else {}
    return reverse("reviews:pool") + (f"?{urlencode(kept)}" if kept else "")

"""The 自治区's pages for calls: the list, copying one into a new call, its guide and window, its schema
revisions (upload, download as 字段表 or YAML, preview, compare, publish)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from accounts import scoping
from applications import revisions as moves
from audit import refusals
from authoring import copying, editing, preview
from authoring.diff import changes
from authoring.forms import CallGuideForm, CallWindowForm, CopyCallForm, RevisionUploadForm
from calls.fieldsheet import export_fieldsheet
from calls.models import Call, RevisionMissing
from calls.schema.loader import parse_source
from documents import rendering

XLSX = rendering.CONTENT_TYPES["xlsx"]


def authors_only(view):
    """Signed in as the 自治区工信厅 (accounts.scoping.may_author_calls), otherwise 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not scoping.may_author_calls(request.user):
            raise PermissionDenied("只有自治区工业和信息化厅可以编制和发布申报批次。")
        return view(request, *args, **kwargs)

    return wrapped


def _call(request, code):
    calls = scoping.calls_for_authoring(request.user, Call.objects.select_related("current_revision"))
    return scoping.get_visible_or_404(calls, code=code)


def _revision(call, number):
    return get_object_or_404(call.revisions, number=number)


@authors_only
def call_list(request):
    calls = scoping.calls_for_authoring(request.user, Call.objects.select_related("current_revision"))
    calls = calls.order_by("-year", "code")
    return render(request, "authoring/call_list.html", {"calls": calls})


@authors_only
@require_http_methods(["GET", "POST"])
def copy(request):
    initial = {}
    calls = scoping.calls_for_authoring(request.user, Call.objects)
    if source := calls.filter(pk=request.GET.get("from") or 0).first():
        initial = {"source": source, "year": source.year + 1, "code": _next_code(source)}
    form = CopyCallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = copying.copy_call(
                data["source"],
                request.user,
                year=data["year"],
                code=data["code"],
                name=data["name"],
                number_prefix=data["number_prefix"],
                is_example=data["is_example"],
            )
        except editing.AuthoringRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=data["source"], detail={"step": "copy_call"})
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"已新建“{call.name}”（未发布）。请核对申报指南、设置申报时间，预览申报书结构后发布。"
            )
            return redirect("authoring:call", call.code)
    return render(request, "authoring/copy.html", {"form": form})


def _next_code(source):
    """cluster-2024 → cluster-2025: the copied call's code with its year moved on, if it names one."""
    year, following = str(source.year), str(source.year + 1)
    return source.code.replace(year, following) if year in source.code else f"{source.code}-{following}"


def _call_page(request, call, form, problems=(), status=200):
    rows = []
    for revision in call.revisions.select_related("created_by", "published_by").order_by("-number"):
        try:
            documents = revision.schema_at(call.year).documents
        except RevisionMissing:
            documents = ()  # a revision an older engine read: listed, with nothing to render from it
        rows.append((revision, documents))
    context = {
        "call": call,
        "rows": rows,
        "upload_form": form,
        "upload_problems": list(problems),
        "has_applications": call.applications.exists(),
    }
    return render(request, "authoring/call.html", context, status=status)


@authors_only
def call_detail(request, code):
    return _call_page(request, _call(request, code), RevisionUploadForm())


@authors_only
@require_http_methods(["GET", "POST"])
def edit_guide(request, code):
    return _edit(request, _call(request, code), CallGuideForm, "申报指南和批次名称已保存。", "authoring/guide.html")


@authors_only
@require_http_methods(["GET", "POST"])
def edit_window(request, code):
    return _edit(request, _call(request, code), CallWindowForm, "申报时间已保存。", "authoring/window.html")


def _edit(request, call, form_class, done, template):
    form = form_class(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        editing.update_call(form, request.user)
        messages.success(request, done)
        return redirect("authoring:call", call.code)
    return render(request, template, {"call": call, "form": form})


@authors_only
@require_POST
def upload(request, code):
    call = _call(request, code)
    form = RevisionUploadForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            revision = editing.store_upload(call, form.cleaned_data["file"], request.user)
        except editing.AuthoringRefused as exc:
            refusals.refused(
                request, refusals.UPLOAD, reason="上传的申报书结构文件未通过检查，未保存新版本。", obj=call
            )
            problems = exc.problems
        else:
            messages.success(
                request, f"已保存为申报书结构第 {revision.number} 版（未发布）。请预览并与当前版本对比后发布。"
            )
            return redirect("authoring:call", call.code)
    return _call_page(request, call, form, problems, status=400)


@authors_only
@require_POST
def unpublish(request, code):
    call = _call(request, code)
    try:
        editing.unpublish(call, request.user)
    except editing.AuthoringRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=call, detail={"step": "unpublish"})
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{call.name}”已取消发布，申报单位不再看到该批次。")
    return redirect("authoring:call", call.code)


@authors_only
def download(request, code, number, fmt):
    call = _call(request, code)
    revision = _revision(call, number)
    stem = f"{call.code}-申报书结构第{revision.number}版"
    if fmt == "xlsx":
        content, content_type, name = export_fieldsheet(parse_source(revision.source)), XLSX, f"{stem}-字段表.xlsx"
    elif fmt == "yaml":
        content, content_type, name = revision.source.encode("utf-8"), "application/yaml", f"{stem}.yaml"
    else:
        raise Http404("没有这种格式")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@authors_only
def preview_form(request, code, number):
    call = _call(request, code)
    revision = _revision(call, number)
    sample = request.GET.get("sample") == "1"
    schema, sections = preview.form_preview(call, revision, sample=sample)
    context = {"call": call, "revision": revision, "schema": schema, "sections": sections, "sample": sample}
    return render(request, "authoring/preview_form.html", context)


@authors_only
def preview_document(request, code, number, document):
    call = _call(request, code)
    revision = _revision(call, number)
    record = preview.sample_record(call, revision)
    if document not in record.schema.documents:
        raise Http404("本批次没有这种文档")
    rendered = rendering.render(record, document, "pdf")
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(False, rendered.filename)
    response["Cache-Control"] = "no-store"
    return response


@authors_only
def compare(request, code):
    call = _call(request, code)
    revisions = {r.number: r for r in call.revisions.order_by("number")}
    try:
        old, new = revisions[int(request.GET.get("from", 0))], revisions[int(request.GET.get("to", 0))]
    except (KeyError, ValueError) as exc:
        raise Http404("请选择要对比的两个版本") from exc
    found = changes(old.schema_at(call.year), new.schema_at(call.year))
    return render(request, "authoring/compare.html", {"call": call, "old": old, "new": new, "groups": found})


@authors_only
@require_http_methods(["GET", "POST"])
def publish(request, code, number):
    call = _call(request, code)
    revision = _revision(call, number)
    if request.method == "POST":
        try:
            published = editing.publish(revision, request.user)
        except editing.AuthoringRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=revision, detail={"step": "publish"})
            messages.error(request, "；".join(exc.problems))
        else:
            return render(request, "authoring/published.html", {"call": call, "published": published})
    current = call.current_revision
    context = {
        "call": call,
        "revision": revision,
        "current": current,
        "problems": editing.publish_problems(call, revision),
        "groups": changes(current.schema_at(call.year), revision.schema_at(call.year)) if current else None,
        "moving": moves.preview(call, revision),
    }
    return render(request, "authoring/publish.html", context)

"""The section-by-section editor, its no-JavaScript save, and the JSON autosave endpoint."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from accounts.models import Role
from applications import attachments as attachment_service
from applications import deadlines, history, progress
from applications.autosave import NotEditable, save_cells
from applications.form import section_blocks
from applications.records import context_of, report_of, start_application
from applications.views import application_for
from audit import refusals
from calls.models import Call
from calls.schema.checks import derivations
from calls.schema.model import ATTACHMENTS_SECTION
from regions import names as region_names


@login_required
@require_POST
def start(request, call_code):
    call = get_object_or_404(Call.objects.published(), code=call_code)
    if not scoping.may_apply(request.user):
        raise PermissionDenied("注册审核通过后才能申报。")
    if not call.is_open():
        messages.error(request, "不在申报时间内，不能开始填报。")
        return redirect("portal:home")
    application = start_application(request.user, call)
    return redirect("applications:overview", pk=application.pk)


def editor_context(request, application, report, current):
    schema = application.schema
    open_now = deadlines.open_for_applicant(application)
    return {
        "application": application,
        "schema": schema,
        "report": report,
        "current": current,
        "nav": [(key, schema.section_title(key), report.statuses[key]) for key in schema.section_keys],
        "status_labels": _labels(report),
        "progress_total": len(schema.section_keys),
        # The window is checked again on every save; here it only decides whether inputs are offered.
        "editable": scoping.may_edit_application(request.user, application) and open_now,
        "call_open": open_now,
        "edit_deadline": deadlines.edit_deadline(application),
    }


def _labels(report):
    return {key: report.status_label(key) for key in report.statuses}


def reviewer_redirect(user, application):
    """Reviewers read frozen versions on their own pages, never the applicant's draft in the editor."""
    if scoping.has_role(user, Role.BUREAU, Role.DEPARTMENT):
        return redirect("reviews:detail", pk=application.pk)
    if scoping.has_role(user, Role.EXPERT):
        return redirect("reviews:expert_tasks")
    return None


@login_required
def overview(request, pk):
    application = application_for(request.user, pk)
    if elsewhere := reviewer_redirect(request.user, application):
        return elsewhere
    report = report_of(application)
    context = editor_context(request, application, report, "overview")
    context["versions"] = application.versions.order_by("-number")
    context["own"] = scoping.is_applicant_of(request.user, application)
    context["opinions"] = history.opinions(application, request.user)
    context["schema_move"] = _unanswered_move(application)
    context["tracker"] = progress.progress_of(application)
    return render(request, "applications/overview.html", context)


def _unanswered_move(application):
    """The last move to a newer schema revision, until a version has been submitted after it."""
    move = application.schema_moves.select_related("to_revision").first()
    latest = application.latest_version
    if move is None or (latest is not None and latest.submitted_at > move.moved_at):
        return None
    return move


@login_required
def section(request, pk, section):
    application = application_for(request.user, pk)
    if elsewhere := reviewer_redirect(request.user, application):
        return elsewhere
    schema = application.schema
    if section == ATTACHMENTS_SECTION:
        return redirect("applications:attachments", pk=pk)
    try:
        current = schema.section(section)
    except StopIteration as exc:
        raise Http404("没有这一节") from exc
    if request.method == "POST":
        return _save_section_form(request, application, current)
    return _render_section(request, application, current, show_missing=bool(request.GET.get("check")))


def _render_section(request, application, current, show_missing=False, status=200, pending=None):
    report = report_of(application)
    errors = report.errors_by_cell(include_missing=show_missing)
    data = dict(application.data, **(pending or {}))
    context = editor_context(request, application, report, current.key)
    context.update(
        section=current,
        blocks=section_blocks(
            application.schema,
            current,
            data,
            errors,
            context_of(application),
            region_names.current().items(),
            warnings=report.warnings_by_cell(),
            derivations=derivations(application.schema),
        ),
        warnings=report.warnings_in(current.key),
        slots=attachment_service.slot_listing(application, current.key),
        next_section=_neighbour(application.schema, current.key, 1),
        previous_section=_neighbour(application.schema, current.key, -1),
    )
    return render(request, "applications/section.html", context, status=status)


def _neighbour(schema, key, step):
    keys = schema.section_keys
    index = keys.index(key) + step
    return (keys[index], schema.section_title(keys[index])) if 0 <= index < len(keys) else None


def _save_section_form(request, application, current):
    """The form posted without JavaScript: the same save as autosave, then the page again."""
    if not scoping.may_edit_application(request.user, application):
        raise PermissionDenied("申报书当前不能修改。")
    duplicated = duplicated_cells(request.POST, current)
    if duplicated:
        labels = "、".join(application.schema.cells[name].label for name in duplicated[:5])
        messages.error(request, f"以下填报项提交了多个值，本次未保存，请刷新页面后重新填写：{labels}")
        return _render_section(request, application, current, status=400)
    changes = form_changes(request.POST, current)
    try:
        base = int(request.POST.get("version", "0"))
    except ValueError:
        base = 0
    try:
        result = save_cells(application, changes, base)
    except NotEditable as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "save"})
        messages.error(request, str(exc))
        return _render_section(request, application, current, status=403, pending=changes)
    if result.conflicts:
        application.refresh_from_db()  # the page shows what the others saved, beside what this person typed
        messages.error(
            request,
            "以下内容已在其他页面或由其他人修改，本次未保存，您填写的内容仍在页面上："
            + "、".join(application.schema.cells[c].label for c in result.conflicts),
        )
        return _render_section(request, application, current, status=409, pending=changes)
    for name, message in result.rejected.items():
        messages.error(request, f"{application.schema.cells[name].label}：{message}")
    messages.success(request, f"已保存（{timezone.localtime():%H:%M:%S}）。")
    return redirect(request.path)


def duplicated_cells(post, section):
    """Single-valued cells posted more than once: which value was meant cannot be known, so none is saved."""
    names = [c.name for f in section.fields if f.type != "derived" for c in f.cells if c.kind != "regions"]
    return [name for name in names if len(post.getlist(name)) > 1]


def form_changes(post, section):
    """Read one section's cells from an ordinary form post (list cells arrive as name__i__col)."""
    changes = {}
    for field in section.fields:
        for cell in field.cells:
            if field.type == "derived":
                continue
            if cell.kind == "regions":
                changes[cell.name] = post.getlist(cell.name)
            elif cell.kind == "accept":
                changes[cell.name] = "1" if post.get(cell.name) else ""
            elif cell.kind in {"rows", "names", "text_list"}:
                changes[cell.name] = _posted_rows(post, cell)
            elif cell.name in post:
                changes[cell.name] = post.get(cell.name)
    return changes


def _posted_rows(post, cell):
    rows: dict[int, dict[str, str]] = {}
    prefix = f"{cell.name}__"
    for key in post:
        if key.startswith(prefix):
            index, _, col = key[len(prefix) :].partition("__")
            if index.isdigit() and col:
                rows.setdefault(int(index), {})[col] = post.get(key)
    ordered = [rows[i] for i in sorted(rows)]
    if cell.kind == "rows":
        return ordered
    return [row.get("text", "") for row in ordered]


AUTOSAVE_KEYS = {"changes", "version", "force"}
MALFORMED = "保存请求格式不正确，请刷新页面后重试。"


class MalformedSave(ValueError):
    """An autosave body that is not what the page sends; nothing of it is stored."""


def autosave_request(request, application):
    """(changes, base version) from the JSON body, or MalformedSave saying what is wrong.

    Only what the page's script sends is accepted: an object with `changes` (an object), `version`
    (a whole number the server has issued, so a made-up future version cannot skip the conflict
    check) and optionally `force` (a list of cell names, sent by pages loaded before 使用我的内容 became a
    re-send on the conflict's version; accepted and ignored). Duplicated keys, NaN and unknown keys are
    refused rather than guessed at. Reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE raises
    RequestDataTooBig.
    """
    try:
        body = json.loads(request.body, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise MalformedSave(MALFORMED) from exc
    if not isinstance(body, dict) or not {"changes", "version"} <= set(body) or set(body) - AUTOSAVE_KEYS:
        raise MalformedSave(MALFORMED)
    changes, base, force = body["changes"], body["version"], body.get("force") or []
    if not isinstance(changes, dict):
        raise MalformedSave(MALFORMED)
    if type(base) is not int or not 0 <= base <= application.edit_version:
        raise MalformedSave("页面的编辑版本号不正确，未能保存。请刷新页面后重试。")
    if not isinstance(force, list) or not all(isinstance(name, str) for name in force):
        raise MalformedSave(MALFORMED)
    return changes, base


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicated key")
    return dict(pairs)


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


@login_required
@require_POST
def autosave(request, pk):
    application = application_for(request.user, pk)
    if not scoping.may_edit_application(request.user, application):
        return JsonResponse({"message": "申报书已提交或当前不能修改。"}, status=403)
    try:
        changes, base = autosave_request(request, application)
    except RequestDataTooBig:
        return JsonResponse({"message": "本次保存的内容过大，未能保存。请分段填写或删减后重试。"}, status=413)
    except MalformedSave as exc:
        return JsonResponse({"message": str(exc)}, status=400)
    try:
        # `force` is checked for shape but not used: after a conflict the page re-sends 使用我的内容 on the version the
        # conflict showed, which replaces exactly the value the user saw. Forcing would also replace a
        # change saved after that, which nobody has seen (tests/reliability/test_concurrent_saves.py).
        result = save_cells(application, changes, base)
    except NotEditable as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=application, detail={"step": "autosave"})
        return JsonResponse({"message": str(exc)}, status=403)
    except KeyError as exc:
        return JsonResponse({"message": exc.args[0]}, status=400)
    if result.conflicts:
        return JsonResponse(
            {
                "version": result.version,
                "conflicts": result.conflicts,
                "updates": result.updates,
                "message": "部分内容已在其他页面或由其他人修改，本次未保存。",
            },
            status=409,
        )
    # save_cells left `application` as saved, still with the call, 申报单位 and 盟市 read with it: the
    # check below reads none of them again.
    report = report_of(application)
    errors = report.inline_errors()
    errors.update(result.rejected)
    return JsonResponse(
        {
            "version": result.version,
            "saved_at": f"{timezone.localtime():%H:%M:%S}",
            "values": result.values,
            "updates": result.updates,
            "errors": errors,
            "warnings": [
                {"section": s, "cell": cell, "message": m}
                for cell, (s, m) in zip(report.warning_cells, report.warnings, strict=True)
            ],
            "sections": {k: {"status": v, "label": report.status_label(k)} for k, v in report.statuses.items()},
            "progress": {"done": report.done_count, "total": len(report.statuses)},
        }
    )

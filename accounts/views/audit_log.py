"""The 审计管理员's pages (mounted at /audit/, URL names audit:*): the filtered list, one entry, the XLSX
export and the integrity check. They live with the other operators' pages in accounts, above the audit
log they read, because who may read it is scoping's answer."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from audit import chain
from audit.export import audit_xlsx
from audit.forms import AuditFilterForm
from audit.log import action_label, detail_label, detail_value, object_type_label, record
from audit.models import AuditEntry, Result

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _audit_admin(request):
    if not scoping.may_read_audit_log(request.user):
        raise PermissionDenied("只有审计管理员可以查看审计日志。")


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.order_by("-seq")
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    return form, entries


def _query(form):
    if not (form.is_bound and form.is_valid()):
        return ""
    return urlencode({name: form.data[name] for name in form.fields if form.data.get(name)})


@login_required
def entry_list(request):
    _audit_admin(request)
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = action_label(entry.action)
        entry.object_type_label = object_type_label(entry.object_type)
    context = {"form": form, "page": page, "query": _query(form)}
    return render(request, "audit/list.html", context, status=400 if form.is_bound and form.errors else 200)


@login_required
def entry_detail(request, seq):
    _audit_admin(request)
    entry = get_object_or_404(AuditEntry, seq=seq)
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    context = {
        "entry": entry,
        "action_label": action_label(entry.action),
        "object_type_label": object_type_label(entry.object_type),
        "role_label": dict(Role.choices).get(entry.role, entry.role),
        "detail_rows": [(detail_label(key), key, detail_value(value, key)) for key, value in detail.items()],
    }
    return render(request, "audit/detail.html", context)


@login_required
def export(request):
    _audit_admin(request)
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "page": None}, status=400)
    query = _query(form)
    # Recorded before the file goes out: the export itself is an audited event.
    record("export", request=request, object_type="audit", object_repr="审计日志", detail={"filters": query})
    filters = f"筛选条件：{query or '全部'}"
    content = audit_xlsx(entries.iterator(chunk_size=2000), filters, role_labels=dict(Role.choices))
    filename = f"审计日志-{timezone.localtime():%Y%m%d}.xlsx"
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def integrity(request):
    _audit_admin(request)
    checked = chain.verify()
    problem = checked.problem
    detail = {"count": checked.count, "tail_hash": checked.tail_hash}
    if problem:
        detail.update(problem_seq=problem.seq, problem_kind=problem.kind)
    record(
        "audit_verify",
        request=request,
        object_type="audit",
        object_repr="审计日志",
        result=Result.SUCCESS if checked.ok else Result.FAILURE,
        detail=detail,
    )
    return render(request, "audit/integrity.html", {"checked": checked}, status=200)

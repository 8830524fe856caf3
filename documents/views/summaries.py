"""汇总表 for the 自治区工信厅 and 盟市工信局, 推荐清单 for a 盟市工信局: on-screen preview, XLSX and PDF.

The XLSX files stream (1,000 rows in 0.7 s, flat memory) and the 推荐清单 PDF holds one
盟市's recommendations (tens of rows), so they answer in the request; the 汇总表 PDF is a job.
"""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from accounts.models import Role
from applications.models import Application
from audit import log as audit_log
from documents import jobs
from documents.filters import CallForm, SummaryFilterForm, with_default_call
from documents.models import DocumentJob
from documents.recommendation import (
    recommendation_headings,
    recommendation_pdf,
    recommendation_text_rows,
    recommendation_title,
    recommendation_xlsx,
)
from documents.summary import (
    FIXED_COUNT,
    as_text,
    summary_columns,
    summary_row,
    summary_source,
    summary_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 20
PREVIEW_FIGURES = 3  # the preview shows the fixed columns and the first few figures; the files have all


def _download(content, filename, content_type):
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)


def _stamp():
    return timezone.localtime().strftime("%Y%m%d")


# --- 汇总表 ---


def _summary_form(request):
    if not scoping.may_export_summary(request.user):
        raise PermissionDenied("只有自治区工信厅和盟市工信局可以查看汇总表。")
    return SummaryFilterForm(with_default_call(request.GET), request.user)


def _summary_title(form):
    title = f"{form.cleaned_data['call'].schema.project_name}申报汇总表"
    user = form.user
    return title if scoping.has_role(user, Role.DEPARTMENT) else f"{user.region.name}{title}"


def _filters_query(form):
    return urlencode({name: form.data.get(name) for name in form.fields if form.data.get(name)})


def audited_filters(parameters):
    """The filters as an audit entry keeps them: a typed 名称 is words of applications' names, which the
    审计管理员 does not read, so only its length is kept (docs/audit.md)."""
    kept = {name: value for name, value in parameters.items() if value and name != "name"}
    detail = {"filters": urlencode(kept)}
    if parameters.get("name"):
        detail["name_filter_chars"] = len(parameters["name"])
    return detail


def _invalid(request, form):
    return render(request, "documents/summary_page.html", {"form": form}, status=400)


@login_required
def summary(request):
    form = _summary_form(request)
    if not form.is_valid():
        return render(request, "documents/summary_page.html", {"form": form})
    schema = form.cleaned_data["call"].schema
    columns = summary_columns(schema)[: FIXED_COUNT + PREVIEW_FIGURES]
    applications = form.filter(scoping.summarised_for(request.user, Application.objects))
    page = Paginator(summary_source(applications), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        [(as_text(value, c.places), c.places is not None) for value, c in zip(row, columns, strict=True)]
        for row in (summary_row(i, item, columns, schema) for i, item in enumerate(page, page.start_index()))
    ]
    context = {
        "form": form,
        "title": _summary_title(form),
        "description": form.description(),
        "columns": columns,
        "column_total": len(summary_columns(schema)),
        "rows": rows,
        "page": page,
        "filters": _filters_query(form),
        "jobs": scoping.document_jobs_for(request.user, DocumentJob.objects)[:5],
    }
    return render(request, "documents/summary_page.html", context)


@login_required
def summary_xlsx_download(request):
    form = _summary_form(request)
    if not form.is_valid():
        return _invalid(request, form)
    title = _summary_title(form)
    applications = form.filter(scoping.summarised_for(request.user, Application.objects))
    audit_log.record(
        "export",
        request=request,
        object_type="summary",
        object_repr=title,
        detail={"format": "xlsx", **audited_filters({name: form.data.get(name) for name in form.fields})},
    )
    content = summary_xlsx(applications, form.cleaned_data["call"].schema, title, form.description())
    return _download(content, f"{title}-{_stamp()}.xlsx", XLSX)


@login_required
@require_POST
def summary_pdf_download(request):
    """The PDF is queued for the worker (documents/jobs.py): 1,000 rows take over half a minute to lay out."""
    form = _summary_form(request)
    if not form.is_valid():
        return _invalid(request, form)
    title = _summary_title(form)
    applications = form.filter(scoping.summarised_for(request.user, Application.objects))
    if refusal := jobs.summary_pdf_too_large(applications.count()):
        messages.error(request, refusal)
        return redirect(f"{reverse('documents:summary')}?{_filters_query(form)}")
    parameters = {name: form.data.get(name) for name in form.fields if form.data.get(name)}
    job = jobs.enqueue(request.user, "summary_pdf", parameters, title, f"{title}-{_stamp()}.pdf")
    return redirect("documents:job", pk=job.pk)


# --- 推荐清单 ---


def _recommendation_form(request):
    if not scoping.may_export_recommendation_list(request.user):
        raise PermissionDenied("只有盟市工信局可以导出本盟市的推荐清单。")
    return CallForm(with_default_call(request.GET))


def _recommended(request, form):
    call = form.cleaned_data["call"]
    return scoping.recommended_for(request.user, call), call.schema


def _recommendation_filename(request, schema, extension):
    return f"{request.user.region.name}{recommendation_title(schema)}-{_stamp()}.{extension}"


@login_required
def recommendation_list(request):
    form = _recommendation_form(request)
    context = {"form": form}
    if form.is_valid():
        applications, schema = _recommended(request, form)
        context.update(
            title=recommendation_title(schema),
            bureau_name=request.user.region.bureau_name,
            headings=recommendation_headings(schema),
            rows=recommendation_text_rows(applications, schema),
            subject=schema.subject,
            filters=urlencode({"call": form.cleaned_data["call"].pk}),
        )
    return render(request, "documents/recommendation_page.html", context)


@login_required
def recommendation_xlsx_download(request):
    form = _recommendation_form(request)
    if not form.is_valid():
        return render(request, "documents/recommendation_page.html", {"form": form}, status=400)
    applications, schema = _recommended(request, form)
    filename = _recommendation_filename(request, schema, "xlsx")
    audit_log.record(
        "export", request=request, object_type="recommendation_list", object_repr=filename, detail={"format": "xlsx"}
    )
    content = recommendation_xlsx(applications, schema, request.user.region)
    return _download(content, filename, XLSX)


@login_required
def recommendation_pdf_download(request):
    form = _recommendation_form(request)
    if not form.is_valid():
        return render(request, "documents/recommendation_page.html", {"form": form}, status=400)
    applications, schema = _recommended(request, form)
    filename = _recommendation_filename(request, schema, "pdf")
    audit_log.record(
        "export", request=request, object_type="recommendation_list", object_repr=filename, detail={"format": "pdf"}
    )
    content = recommendation_pdf(applications, schema, request.user.region)
    return _download(content, filename, "application/pdf")

"""The Excel round trip: download an application as a workbook (or its blank template), upload it back."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from accounts import scoping
from applications import reads
from applications.records import report_of
from applications.views import application_for
from applications.views.editor import editor_context
from documents.record import record_of
from documents.views import record_for
from documents.workbook import export_workbook
from documents.workbook_import import import_workbook
from documents.workbook_package import Limits
from documents.workbook_report import ImportResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, pk):
    """The draft for its applicant, a submitted version for reviewers (documents.views.record_for)."""
    application = application_for(request.user, pk)
    record = record_for(request, application)
    reads.record_download(request, application, document="workbook", format="xlsx", version=record.version_label)
    return _xlsx(export_workbook(record), f"{application.number}-申报书-{record.version_label}.xlsx")


@login_required
def blank(request, pk):
    """The empty template of this application's layout, for the applicant to fill offline."""
    application = application_for(request.user, pk)
    if not scoping.is_applicant_of(request.user, application):
        raise PermissionDenied("只有申报单位可以下载填报模板。")
    return _xlsx(export_workbook(record_of(application), blank=True), f"{application.number}-Excel填报模板.xlsx")


@login_required
def upload(request, pk):
    """GET: the upload form and what the rules are. POST: import and show the per-cell report."""
    application = application_for(request.user, pk)
    if not scoping.is_applicant_of(request.user, application):
        raise PermissionDenied("只有申报单位可以导入申报书。")
    result, status = None, 200
    if request.method == "POST":
        uploaded = request.FILES.get("workbook")
        if not scoping.may_edit_application(request.user, application):
            message = f"申报书当前状态为“{application.get_status_display()}”，不能导入。如需修改，请先撤回。"
            result, status = ImportResult(refused=message), 403
        elif uploaded is None:
            result, status = ImportResult(refused="请选择要上传的Excel工作簿（.xlsx）。"), 400
        else:
            result = import_workbook(application, request.user, uploaded, overwrite=bool(request.POST.get("overwrite")))
            status = 400 if result.refused else 200
            application.refresh_from_db()
    context = editor_context(request, application, report_of(application), "workbook")
    context.update(result=result, max_mb=f"{Limits.from_settings().upload_bytes / 1024 / 1024:g}")
    return render(request, "documents/workbook_import.html", context, status=status)

"""重新生成: a 自治区 official sends a failed official PDF back to the document worker (documents/official.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import scoping
from applications.views import application_for
from audit import log as audit_log
from documents import official
from documents.models import OfficialDocument
from documents.rendering import TITLES


@login_required
@require_POST
def regenerate(request, pk):
    document = get_object_or_404(OfficialDocument.objects.select_related("version"), pk=pk)
    application = application_for(request.user, document.version.application_id)  # 404 outside one's scope
    if not scoping.may_regenerate_official_document(request.user, application):
        raise PermissionDenied("只有自治区工业和信息化厅可以重新生成正式文件。")
    title = TITLES.get(document.kind, document.kind)
    with transaction.atomic():
        if official.regenerate(document):
            audit_log.record(
                "official_regenerate",
                request=request,
                obj=application,
                detail={
                    "application": application.pk,
                    "number": application.number,
                    "version": document.version.number,
                    "document": document.kind,
                    "official_document": document.pk,
                },
            )
            messages.success(request, f"已安排重新生成第{document.version.number}版{title}，稍后刷新本页查看结果。")
        else:
            messages.info(request, f"第{document.version.number}版{title}没有失败，无需重新生成。")
    return redirect(reverse("reviews:detail", args=[application.pk]) + "#official")

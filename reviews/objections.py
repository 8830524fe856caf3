"""异议 to a 公示: a named person sends one from the public page; the 自治区 answers each (成立 / 不成立).

Anyone may send one, so the text, the person and the file are stored but never shown publicly and never
written to the audit log (its detail keeps lengths and ids only, docs/audit.md). While one is unanswered
立项 is refused; one found 成立 turns 立项 into 不予支持 (applications.workflow.objection_problem,
reviews.decisions.revoke).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.attachments import FILE_TYPES, clean_name, sha256_of
from applications.workflow import WorkflowRefused
from audit.log import record
from reviews import notices
from reviews.models import Objection

CONTENT_MAX_CHARS = 2000  # 字数, counted as calls.schema.values.count_chars counts
RESPONSE_MAX_CHARS = 1000
FILE_TYPES_ACCEPTED = ("pdf", "jpg", "png", "docx")


def contact():
    """Where an objection may also be sent on paper (settings, docs/configuration.md): department, phone, address."""
    return {
        "department": settings.SHENBAO_OBJECTION_DEPARTMENT,
        "phone": settings.SHENBAO_OBJECTION_PHONE,
        "address": settings.SHENBAO_OBJECTION_ADDRESS,
    }


def is_open(application, today=None):
    """The 公示 period of `application` includes today: objections are taken from its first to its last day."""
    decision = getattr(application, "decision", None)
    if decision is None or decision.publicity_starts is None:
        return False
    today = today or timezone.localdate()
    return decision.publicity_starts <= today <= decision.publicity_ends


def submit(application, *, name, organisation, phone, content, uploaded_file=None, file_type="", request=None):
    """Record one objection (the form has checked each field and the file's content); the 自治区 is told."""
    if not application.is_publicising or not is_open(application):
        raise WorkflowRefused("该项目不在公示期内，不能提出异议。")
    with transaction.atomic():
        objection = Objection(
            application=application, name=name, organisation=organisation, phone=phone, content=content
        )
        if uploaded_file is not None:
            objection.original_name = clean_name(uploaded_file.name)
            objection.file_type = file_type
            objection.size = uploaded_file.size
            objection.sha256 = sha256_of(uploaded_file)
            objection.file.save(f"upload{FILE_TYPES[file_type].extension}", uploaded_file, save=False)
        objection.save()
        detail = {"number": application.number, "content_chars": len(content), "attachment": bool(uploaded_file)}
        record("objection_submit", request=request, obj=objection, detail=detail)
        notices.objection_received(objection)
    return objection


def answer(objection, user, result, response, now=None):
    """The 自治区's answer: 成立 or 不成立 with its 处理意见; once, and only while the application is in 公示."""
    response = (response or "").strip()
    if result not in Objection.Result.values:
        raise WorkflowRefused("请选择核实结果：成立或不成立。")
    if not response:
        raise WorkflowRefused("请填写处理意见。")
    with transaction.atomic():
        row = Objection.objects.select_for_update().select_related("application").get(pk=objection.pk)
        if row.is_answered:
            raise WorkflowRefused("该异议已经答复，不能再次答复。")
        if not row.application.is_publicising:
            raise WorkflowRefused("该项目已不在公示中，不能再答复异议。")
        row.result, row.response = result, response
        row.answered_by, row.answered_at = user, now or timezone.now()
        row.save(update_fields=["result", "response", "answered_by", "answered_at"])
        detail = {"number": row.application.number, "result": result, "response_chars": len(response)}
        record("objection_answer", user=user, obj=row, detail=detail)
    return row

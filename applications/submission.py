"""Submitting freezes a numbered, hashed version; withdrawing returns it to the applicant's hands.

Both run in one transaction with the application row locked, and both record a Transition.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status, Transition, Version
from applications.records import active_attachments, report_of
from calls.schema.model import ATTACHMENTS_SECTION
from calls.schema.report import ATTACHMENT, BLOCK


class SubmissionRefused(Exception):
    """Why the application cannot be submitted or withdrawn now, as one clear sentence."""


@dataclass
class CheckItem:
    section: str
    section_title: str
    message: str
    url: str


@dataclass
class PreSubmitCheck:
    sentences: list = field(default_factory=list)  # the reasons that stop submission outright
    problems: list = field(default_factory=list)  # every blocking problem, with a link to its field
    warnings: list = field(default_factory=list)

    @property
    def can_submit(self):
        return not self.sentences and not self.problems


def _deadline(call):
    return timezone.localtime(call.applicant_closes_at).strftime("%Y年%m月%d日 %H:%M:%S")


def pre_submit_check(application, report=None, now=None):
    report = report or report_of(application)
    schema = application.call.schema
    check = PreSubmitCheck()
    if not application.call.is_open(now):
        check.sentences.append(
            f"申报时间为 {_window(application.call)}（以服务器时间为准），当前不在申报时间内，不能提交。"
        )
    for p in report.problems:
        if p.kind == BLOCK:
            check.sentences.append(p.message)
        if p.kind == ATTACHMENT and p.cell == "commitment_scan":
            check.sentences.append("尚未上传法定代表人签字并加盖申报单位公章的承诺书扫描件，不能提交。")
    missing_files = [p for p in report.problems if p.kind == ATTACHMENT and p.cell != "commitment_scan"]
    if missing_files:
        check.sentences.append(f"还有 {len(missing_files)} 项必传附件未上传，不能提交。")
    for p in report.problems:
        check.problems.append(CheckItem(p.section, schema.section_title(p.section), p.message, _link(application, p)))
    for section, message in report.warnings:
        url = reverse("applications:section", args=[application.pk, section])
        check.warnings.append(CheckItem(section, schema.section_title(section), message, url))
    return check


def _window(call):
    opens = timezone.localtime(call.applicant_opens_at).strftime("%Y年%m月%d日 %H:%M:%S")
    return f"{opens} 至 {_deadline(call)}"


def _link(application, problem):
    if problem.kind == ATTACHMENT:
        section = problem.section
        base = (
            reverse("applications:attachments", args=[application.pk])
            if section == ATTACHMENTS_SECTION
            else reverse("applications:section", args=[application.pk, section])
        )
        return f"{base}#slot-{problem.cell}"
    base = reverse("applications:section", args=[application.pk, problem.section])
    return f"{base}?check=1#cell-{problem.cell}"


def canonical_json(payload):
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(payload):
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def submit(application, user, now=None):
    """Freeze the record as the next numbered version and send it to the lead 盟市 for 初审."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("call", "organisation", "lead_region")
            .get(pk=application.pk)
        )
        if not app.is_editable:
            raise SubmissionRefused("申报书已提交，不能重复提交。")
        check = pre_submit_check(app, now=now)
        if check.sentences:
            raise SubmissionRefused(check.sentences[0])
        if check.problems:
            raise SubmissionRefused(f"还有 {len(check.problems)} 项内容需要填写或修改，请按提交前检查逐项处理。")
        now = now or timezone.now()
        schema = app.call.schema
        number = app.versions.count() + 1
        files = [
            {"id": a.pk, "slot": a.slot, "name": a.original_name, "size": a.size, "sha256": a.sha256}
            for a in active_attachments(app).order_by("slot", "pk")
        ]
        payload = {
            "application": app.number,
            "version": number,
            "submitted_at": now.isoformat(),
            "organisation": {"name": app.organisation.name, "credit_code": app.organisation.credit_code},
            "lead_region": app.lead_region.code,
            "schema": {"code": schema.code, "version": schema.version, "digest": schema.digest},
            "data": app.data,
            "attachments": files,
        }
        version = Version.objects.create(
            application=app,
            number=number,
            data=app.data,
            schema_code=schema.code,
            schema_version=schema.version,
            schema_digest=schema.digest,
            attachments=files,
            context={
                "organisation_name": app.organisation.name,
                "lead_region_name": app.lead_region.name,
                "lead_bureau": app.lead_region.bureau_name,
            },
            content_hash=content_hash(payload),
            submitted_at=now,
            submitted_by=user,
        )
        _move(app, Status.SUBMITTED, "submit" if app.status == Status.DRAFT else "resubmit", user, version=version)
        app.submitted_at = now
        app.save(update_fields=["status", "submitted_at", "updated_at"])
        return version


def withdraw(application, user, now=None):
    """撤回: back to the applicant before the 盟市 acts and before the deadline; nothing is lost."""
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if app.status != Status.SUBMITTED:
            raise SubmissionRefused("盟市已开始处理，不能撤回。")
        if not app.call.is_open(now):
            raise SubmissionRefused(f"申报已于 {_deadline(app.call)} 截止，不能撤回。")
        last = app.transitions.filter(to_status=Status.SUBMITTED).order_by("-at", "-pk").first()
        back_to = last.from_status if last and last.from_status == Status.RETURNED else Status.DRAFT
        _move(app, back_to, "withdraw", user)
        app.save(update_fields=["status", "updated_at"])


def _move(app, to_status, action, user, reason="", version=None):
    Transition.objects.create(
        application=app,
        from_status=app.status,
        to_status=to_status,
        action=action,
        actor=user,
        actor_role=user.role,
        reason=reason,
        version=version,
    )
    app.status = to_status

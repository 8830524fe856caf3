"""Submitting freezes a numbered, hashed version; withdrawing returns it to the applicant's hands.

Both run in one transaction with the application row locked and move it through applications.workflow,
which decides whether the move is allowed and records the Transition.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications import deadlines, notices, workflow
from applications.models import Status, Version
from applications.records import active_attachments, report_of
from applications.workflow import ActionCode
from calls.deadlines import format_time
from calls.schema.model import ATTACHMENTS_SECTION
from calls.schema.report import ATTACHMENT, BLOCK
from calls.schema.values import clean_text, over_limit
from regions.models import Region


class SubmissionRefused(Exception):
    """Why the application cannot be submitted or withdrawn now, as one clear sentence."""


# 修改说明: a resubmission after 退回修改 says what was changed, for the reviewer who returned it. It is
# kept as the reason of the 重新提交 Transition, beside the version it submitted (reviews/diff.py shows it).
NOTE_MAX_CHARS = 1000


def revision_note_problem(note):
    """What is wrong with a 修改说明, or None."""
    text = clean_text(note)
    if not text:
        return "重新提交须填写修改说明：逐条说明按退回意见修改了哪些内容。"
    return over_limit("修改说明", text, NOTE_MAX_CHARS)


@dataclass
class CheckItem:
    section: str
    section_title: str
    message: str
    url: str


@dataclass
class CheckGroup:
    """One page of the form and its problems, for the check page's headings (三、创新能力情况 5 处待完善)."""

    section: str
    section_title: str
    url: str
    items: list


@dataclass
class PreSubmitCheck:
    sentences: list = field(default_factory=list)  # the reasons that stop submission outright
    problems: list = field(default_factory=list)  # every blocking problem, with a link to its field
    warnings: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # the problems by page (CheckGroup), in the form's order
    section_count: int = 0  # pages of the form, the attachments page included

    @property
    def can_submit(self):
        return not self.sentences and not self.problems

    @property
    def complete_count(self):
        """Pages with nothing left to do: shown as one line, 其余 N 节已完整."""
        return self.section_count - len(self.groups)


def last_return(application):
    """The 退回修改 the applicant is answering now (its Transition, with the reason), or None."""
    returns = [a.code for a in workflow.ACTIONS.values() if a.target == Status.RETURNED and a.needs_reason]
    return application.transitions.filter(action__in=returns).order_by("-at", "-pk").first()


def pre_submit_check(application, report=None, now=None):
    report = report or report_of(application)
    schema = application.schema
    check = PreSubmitCheck(section_count=len(schema.section_keys))
    if not deadlines.open_for_applicant(application, now):
        check.sentences.append(f"{_window(application)}（以服务器时间为准），当前不能提交。")
    commitment = {slot.key: slot for slot in schema.commitment_slots()}
    for p in report.problems:
        if p.kind == BLOCK:
            check.sentences.append(p.message)
        if p.kind == ATTACHMENT and p.cell in commitment:
            check.sentences.append(f"尚未上传{commitment[p.cell].label}，不能提交。")
    missing_files = [p for p in report.problems if p.kind == ATTACHMENT and p.cell not in commitment]
    if missing_files:
        check.sentences.append(f"还有 {len(missing_files)} 项必传附件未上传，不能提交。")
    for p in report.problems:
        check.problems.append(CheckItem(p.section, schema.section_title(p.section), p.message, _link(application, p)))
    for key in schema.section_keys:
        if items := [item for item in check.problems if item.section == key]:
            check.groups.append(CheckGroup(key, schema.section_title(key), _page(application, key), items))
    for cell, (section, message) in zip(report.warning_cells, report.warnings, strict=True):
        url = reverse("applications:section", args=[application.pk, section]) + f"#cell-{cell}"
        check.warnings.append(CheckItem(section, schema.section_title(section), message, url))
    return check


def _window(application):
    call = application.call
    deadline = deadlines.edit_deadline(application)
    if not call.applicant_opens_at or deadline is None:
        return "申报批次尚未开放"
    if application.status == Status.RETURNED:
        return f"退回修改后须在 {format_time(deadline)} 前重新提交"
    return f"申报时间为 {format_time(call.applicant_opens_at)} 至 {format_time(deadline)}"


def _page(application, section):
    if section == ATTACHMENTS_SECTION:
        return reverse("applications:attachments", args=[application.pk])
    return reverse("applications:section", args=[application.pk, section])


def _link(application, problem):
    if problem.kind == ATTACHMENT:
        return f"{_page(application, problem.section)}#slot-{problem.cell}"
    return f"{_page(application, problem.section)}?check=1#cell-{problem.cell}"


def canonical_json(payload):
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(payload):
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def submit(application, user, now=None, revision_note=""):
    """Freeze the record as the next numbered version and send it to the lead 盟市 for 初审.

    A resubmission after 退回修改 needs its 修改说明 (`revision_note`); a first submission takes none."""
    with transaction.atomic():
        app = workflow.locked(application)
        if not app.is_editable:
            raise SubmissionRefused("申报书已提交，不能重复提交。")
        action = ActionCode.SUBMIT if app.status == Status.DRAFT else ActionCode.RESUBMIT
        problem = workflow.refusal(user, app, action, now)
        if problem:
            raise SubmissionRefused(problem)
        note = clean_text(revision_note) if action == ActionCode.RESUBMIT else ""
        if action == ActionCode.RESUBMIT and (problem := revision_note_problem(note)):
            raise SubmissionRefused(problem)
        check = pre_submit_check(app, now=now)
        if check.sentences:
            raise SubmissionRefused(check.sentences[0])
        if check.problems:
            raise SubmissionRefused(f"还有 {len(check.problems)} 项内容需要填写或修改，请按提交前检查逐项处理。")
        now = now or timezone.now()
        schema = app.schema
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
            schema_revision_id=app.schema_revision_id,
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
        regions = schema.regions_field
        codes = (app.data.get(regions.key) or []) if regions else []
        app.participating_regions.set(Region.objects.filter(code__in=codes).exclude(pk=app.lead_region_id))
        app.submitted_at = now
        app.save(update_fields=["submitted_at"])
        transition = workflow.move(app, action, user, reason=note, version=version, now=now)
        notices.submitted(app, transition)
        return version


def withdraw(application, user, now=None):
    """撤回: back to the applicant before the 盟市 acts and before the deadline; nothing is lost."""
    with transaction.atomic():
        app = workflow.locked(application)
        try:
            workflow.move(app, ActionCode.WITHDRAW, user, now=now)
        except workflow.WorkflowRefused as exc:
            raise SubmissionRefused(str(exc)) from exc
        notices.withdrawn(app)

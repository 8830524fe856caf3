"""Every change the 自治区 makes to a call, audited: its guide and window, new schema revisions, publication.

A revision is stored from a 字段表 or a YAML file once it builds for the call's year and names the field
every list calls an application by; it is never changed afterwards. Publishing makes it the one
applicants answer: the call opens (if it was not yet published) and every record the applicant may
still edit moves to it (applications/revisions.py), with what no longer fits reported. Each step is
audited; a published revision is never edited in place.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import Role, User
from applications import revisions as moves
from audit.log import record
from calls.fieldsheet import FieldsheetError, check_fieldsheet, check_source, dump_source
from calls.models import Call, SchemaRevision
from calls.schema.loader import SchemaError, digest_of
from documents.workbook_package import Limits, PackageRefused, inspect_package, read_upload
from notifications.models import Event
from notifications.service import notify

AUDITED_TEXT_CHARS = 200


class AuthoringRefused(Exception):
    """What the 自治区 asked cannot be done; `problems` say why, each a sentence naming what to fix."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class Published:
    revision: SchemaRevision
    opened: bool  # the call became visible to applicants with this step
    moves: list  # applications.models.SchemaMove of every record moved to the revision


def _require(user):
    if not scoping.may_author_calls(user):
        raise AuthoringRefused("只有自治区工业和信息化厅可以编制和发布申报批次。")


def check(call, source):
    """The Schema `source` declares for `call`'s year; AuthoringRefused naming the line or entry that is wrong."""
    try:
        return check_source(source, call.year)
    except SchemaError as exc:
        raise AuthoringRefused(str(exc)) from exc


def store(call, source, origin, user):
    """A new revision of `call` holding `source`, numbered after the last; refused when it does not build
    or is the same text as the newest revision."""
    _require(user)
    check(call, source)
    digest = digest_of(source)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        newest = call.revisions.order_by("-number").first()
        if newest is not None and newest.digest == digest:
            raise AuthoringRefused(f"与已有的第 {newest.number} 版内容完全相同，未保存新版本。")
        number = (call.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = SchemaRevision.objects.create(
            call=call, number=number, source=source, digest=digest, origin=origin[:200], created_by=user
        )
        record(
            "schema_revision_create",
            user=user,
            obj=revision,
            detail={"call": call.code, "number": number, "digest": digest, "origin": revision.origin},
        )
    return revision


def create_call(user, *, source, origin, audited=None, **fields):
    """A new, unpublished call (`fields`: code, name, year, guide_title, guide_text, number_prefix, is_example,
    copied_from) whose first revision is `source`; audited, with `audited` added to the entry's detail.
    Engineers make one from a schema file; officials by copying another (authoring/copying.py)."""
    _require(user)
    if Call.objects.filter(code=fields["code"]).exists():
        raise AuthoringRefused(f"批次代码 {fields['code']} 已被使用。")
    call = Call(**fields)
    check(call, source)
    with transaction.atomic():
        call.save()
        SchemaRevision.objects.create(
            call=call, number=1, source=source, digest=digest_of(source), origin=origin[:200], created_by=user
        )
        detail = {"code": call.code, "year": call.year, "origin": origin, **(audited or {})}
        record("call_create", user=user, obj=call, detail=detail)
    return call


def store_upload(call, uploaded, user):
    """A revision from an uploaded 字段表 (.xlsx) or YAML file; nothing is saved from a file with errors."""
    _require(user)
    name = uploaded.name or ""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    limits = Limits.from_settings()  # the applicants' workbook caps: size, unpacked size, compression ratio
    try:
        content = read_upload(uploaded, limits)
    except PackageRefused as exc:
        raise AuthoringRefused(str(exc)) from exc
    if suffix == "xlsx":
        try:
            inspect_package(content, limits)
            doc, _ = check_fieldsheet(content, call.year)
        except (PackageRefused, FieldsheetError) as exc:
            raise AuthoringRefused(getattr(exc, "problems", None) or str(exc)) from exc
        return store(call, dump_source(doc), f"上传字段表 {name}", user)
    if suffix in ("yaml", "yml"):
        try:
            source = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AuthoringRefused("YAML 文件须为 UTF-8 编码。") from exc
        return store(call, source, f"上传 YAML {name}", user)
    raise AuthoringRefused("请上传字段表（.xlsx）或申报书结构文件（.yaml）。")


def publish_problems(call, revision):
    """Why `revision` cannot be published now, as sentences; empty when it can."""
    problems = []
    if revision.call_id != call.pk:
        problems.append("该版本不属于本批次。")
    current = call.current_revision
    if current is not None and revision.number <= current.number:
        problems.append(f"第 {revision.number} 版不晚于当前的第 {current.number} 版，不能再次发布。")
    if not call.is_published:
        if not (call.applicant_opens_at and call.applicant_closes_at):
            problems.append("发布前请先设置申报开始时间和截止时间。")
        elif call.applicant_closes_at <= call.applicant_opens_at:
            problems.append("申报截止时间须晚于申报开始时间。")
    return problems


def publish(revision, user, now=None):
    """Make `revision` the one applicants answer, open the call if it was not, move the records the
    applicants may still edit, and tell them; audited."""
    _require(user)
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=revision.call_id)
        revision = SchemaRevision.objects.get(pk=revision.pk)
        if problems := publish_problems(call, revision):
            raise AuthoringRefused(problems)
        check(call, revision.source)
        SchemaRevision.objects.filter(pk=revision.pk).update(published_at=now, published_by=user)
        opened = not call.is_published
        call.current_revision = revision
        call.is_published = True
        call.save(update_fields=["current_revision", "is_published"])
        moved = moves.move_all(call, revision, user, now)
        record(
            "schema_publish",
            user=user,
            obj=revision,
            detail={
                "call": call.code,
                "number": revision.number,
                "digest": revision.digest,
                "call_opened": opened,
                "moved": len(moved),
                "with_misfits": sum(1 for m in moved if m.misfits),
            },
        )
        for move in moved:
            _tell_applicants(move)
    return Published(SchemaRevision.objects.get(pk=revision.pk), opened, moved)


def update_call(form, user):
    """Save a valid CallGuideForm or CallWindowForm; the changed fields are audited with old and new."""
    _require(user)
    names = [name for name in form.Meta.fields if not form.fields[name].disabled]
    with transaction.atomic():
        before = Call.objects.select_for_update().get(pk=form.instance.pk)
        call = form.save()
        changes = {
            name: {"old": _audited(getattr(before, name)), "new": _audited(getattr(call, name))}
            for name in names
            if getattr(before, name) != getattr(call, name)
        }
        if changes:
            record("call_change", user=user, obj=call, detail={"code": call.code, "changes": changes})
    return call


def _audited(value):
    """A changed value as the audit entry keeps it: a long text (the guide) by its length and SHA-256."""
    if isinstance(value, str) and len(value) > AUDITED_TEXT_CHARS:
        return {"chars": len(value), "sha256": digest_of(value)}
    return value


def unpublish(call, user):
    """Hide a call nobody has started an application for (a call published by mistake); audited."""
    _require(user)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_published:
            raise AuthoringRefused("该批次尚未发布。")
        if call.applications.exists():
            raise AuthoringRefused("已有申报单位填报本批次，不能取消发布。")
        call.is_published = False
        call.save(update_fields=["is_published"])
        record("call_change", user=user, obj=call, detail={"code": call.code, "changes": {"is_published": False}})


def _tell_applicants(move):
    app = move.application
    applicants = User.objects.filter(role=Role.APPLICANT, organisation_id=app.organisation_id, is_active=True)
    if move.misfits:
        body = f"有 {len(move.misfits)} 项已填内容不再符合新要求（内容已保留，未删除），请在申报书概览页逐项核对。"
    else:
        body = "已填内容均符合新要求；如有新增填报项，请补充填写。"
    notify(
        applicants,
        Event.SCHEMA_CHANGED,
        f"{app.call.name}的申报书结构已更新为第 {move.to_revision.number} 版",
        body,
        reverse("applications:overview", args=[app.pk]),
        application=app,
    )

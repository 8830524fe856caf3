"""盟市初审: the 实地核实 record, 退回修改 with a reason, and 推荐 with the sealed 推荐文件."""

from django.db import transaction
from django.utils import timezone

from accounts import scoping
from applications import workflow
from applications.attachments import discarding_on_failure
from applications.workflow import ActionCode, WorkflowRefused
from audit.log import record
from reviews import files, notices
from reviews.models import Recommendation, SiteVisit, SiteVisitPhoto

MAX_PHOTOS = 10


def record_site_visit(application, user, visited_on, people, findings, photos=(), now=None):
    """实地核实: date, people, findings and up to ten photos, against the version under review."""
    if not scoping.may_record_site_visit(user, application):
        raise WorkflowRefused("只有牵头盟市工信局在初审期间可以记录实地核实。")
    if visited_on is None:
        raise WorkflowRefused("请填写核实日期。")
    if visited_on > timezone.localdate(now):
        raise WorkflowRefused("核实日期不能晚于今天。")
    if not (people or "").strip() or not (findings or "").strip():
        raise WorkflowRefused("请填写核实人员和核实情况。")
    if len(photos) > MAX_PHOTOS:
        raise WorkflowRefused(f"每次最多上传 {MAX_PHOTOS} 张照片。")
    rows: list[SiteVisitPhoto] = []  # filled inside, so a photo refused halfway also discards the ones stored before it
    with discarding_on_failure(rows):
        for photo in photos:
            rows.append(
                files.prepare(SiteVisitPhoto, photo, "核实照片", files.PHOTO_TYPES, user, application=application)
            )
        app = workflow.locked(application)
        if not scoping.may_record_site_visit(user, app):
            raise WorkflowRefused("申报书已不在初审状态，不能记录实地核实。")
        visit = SiteVisit.objects.create(
            application=app,
            version=app.latest_version,
            visited_on=visited_on,
            people=people.strip(),
            findings=findings.strip(),
            recorded_by=user,
        )
        for row in rows:
            row.site_visit = visit
            row.save()
        # Audited in the same transaction; who went and what they found stay on the record, for its readers.
        record(
            "site_visit",
            user=user,
            obj=visit,
            detail={
                "application": app.pk,
                "number": app.number,
                "version": visit.version.number,
                "visited_on": visit.visited_on,
                "photos": len(rows),
            },
        )
        return visit


def return_for_revision(application, user, reason, now=None):
    """退回修改 by the 盟市: the applicant edits a new draft from its last version, and resubmits."""
    with transaction.atomic():
        app = workflow.locked(application)
        transition = workflow.move(app, ActionCode.BUREAU_RETURN, user, reason=reason, now=now)
        notices.returned(app, transition)
        return transition


def recommend(application, user, opinion, sealed_file, now=None):
    """推荐 to the 自治区: needs a 实地核实 of this version and the sealed 推荐文件."""
    problem = workflow.refusal(user, application, ActionCode.RECOMMEND, now)
    if problem:
        raise WorkflowRefused(problem)
    if not (opinion or "").strip():
        raise WorkflowRefused("请填写推荐意见。")
    row = files.prepare(
        Recommendation, sealed_file, "盖章的推荐文件", files.SEALED_TYPES, user, application=application
    )
    with discarding_on_failure([row]):
        app = workflow.locked(application)
        version = app.latest_version
        if not app.site_visits.filter(version=version).exists():
            raise WorkflowRefused("推荐前须先记录对本版申报材料的实地核实情况。")
        transition = workflow.move(app, ActionCode.RECOMMEND, user, reason=opinion, version=version, now=now)
        row.version = version
        row.opinion = opinion.strip()
        row.save()
        notices.recommended(app, transition)
        return row

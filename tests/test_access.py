"""The access matrix: every URL pattern, for every role, against an object of its own and of another 盟市.

`ROUTES` declares, for each named pattern the project resolves, how to build its URL for the 包头 side
("own": the 包头 applicant's application, its 盟市工信局, the expert assigned to it) and for the 通辽
side ("other"), and the status each role must get. A pattern the table does not mention fails
`test_every_url_pattern_is_in_the_access_table`, so a new view cannot escape this matrix.

Statuses: 200 allowed; 302 a redirect (to the login page for the anonymous visitor); 403 a role that
may not use the page at all; 404 an object outside the user's scope (its existence does not leak,
see accounts/scoping.py); 405 the wrong method. POST-only views: GET must be 405 for the role that
may post, and an out-of-scope POST must be refused and change nothing in the database. `ALLOWED`
(None in a POST table) marks a POST that would act; it is not sent. Pages a role reaches are also
searched for the 通辽 application's number, cluster and 申报单位 names where that role may not see them.

Nothing is skipped: the project serves no static or media route (whitenoise serves /static/ from
middleware; uploads leave only through scoped views), and the login, logout, password and
registration views are in the table like any other. The audit app's pages follow one rule
(`AUDIT_KWARGS`): the 审计管理员's alone; one taking a new kind of argument must be declared there.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from documents import pdf
from documents.tests import official as official_documents
from notifications.models import Event, Notification
from reviews import experts, initial_review
from reviews.models import Recommendation
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "applicant",  # the 包头 申报单位
    "bureau",  # 包头 盟市工信局
    "department",  # 自治区工信厅
    "expert",  # assigned to the 包头 application, declared no conflict
    "expert_unassigned",
    "system_admin",
    "security_admin",
    "audit_admin",
)
SIDES = ("own", "other")
ALLOWED = None  # a POST the role may make: not sent, so the world stays as built
LOGIN = 302


# --- The world: a 包头 and a 通辽 application, each site-visited, recommended and with an expert ---


def _side(region_code, bureau, department, expert, cluster_name):
    app = factories.submitted_application(region_code, data={"cluster_name": cluster_name})
    photo = factories.upload("现场.png")
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "王伟", "属实", [photo])
    initial_review.recommend(app, bureau, "同意推荐", factories.upload())
    (review,) = experts.assign(app, department, [expert])
    experts.declare(review, expert, has_conflict=False)
    app.refresh_from_db()
    version = app.latest_version
    official = official_documents.failed(version)  # waiting for 重新生成
    return SimpleNamespace(
        app=app,
        applicant=app.organisation.users.get(),
        version=version,
        attachment=version.attachments[0]["id"],
        photo=app.site_visits.get().photos.get().pk,
        sealed=Recommendation.objects.get(application=app).pk,
        review=review.pk,
        code=version.content_hash[:16],
        official=official.pk,
    )


def _draw(app, department):
    """A 随机抽取 of one expert of the 专家库 for `app` (already under review: it adds an expert)."""
    from reviews import draws

    factories.expert("150900", full_name="抽取专家", affiliation=f"测试大学{app.pk}")
    respond_by = timezone.now() + timedelta(days=2)
    made = draws.draw([app], department, experts=1, reserves=0, cap=99, respond_by=respond_by, fields=["economics"])
    return made.pk


def build_world():
    department = factories.user(Role.DEPARTMENT)
    bureau = factories.user(Role.BUREAU, region_code="150200")
    expert = factories.user(Role.EXPERT, region_code="150100")
    own = _side("150200", bureau, department, expert, "包头稀土新材料产业集群")
    bystander = factories.user(Role.EXPERT, region_code="150100")
    other = _side(
        "150500", factories.user(Role.BUREAU, region_code="150500"), department, bystander, "通辽玉米生物产业集群"
    )
    for side in (own, other):
        side.draw = _draw(side.app, department)
    users = {
        "applicant": own.applicant,
        "bureau": bureau,
        "department": department,
        "expert": expert,
        "expert_unassigned": factories.user(Role.EXPERT, region_code="150100"),
        "system_admin": factories.user(Role.SYSTEM_ADMIN),
        "security_admin": factories.user(Role.SECURITY_ADMIN),
        "audit_admin": factories.user(Role.AUDIT_ADMIN),
    }
    notes = {
        person.pk: Notification.objects.create(recipient=person, event=Event.SUBMITTED, title="测试通知").pk
        for person in [*users.values(), other.applicant]
    }
    jobs = {side: finished_job(owner) for side, owner in (("own", department), ("other", other.applicant))}
    publicised, objection = in_publicity(department)
    return SimpleNamespace(
        own=own,
        other=other,
        users=users,
        notes=notes,
        call=own.app.call.code,
        jobs=jobs,
        publicised=publicised,
        objection=objection.pk,
    )


def in_publicity(department):
    """A 赤峰 application in 公示 since today, with one 异议 (and its file) sent from the public page."""
    from applications.models import Status
    from reviews import objections
    from reviews.models import Decision

    app = factories.submitted_application("150400", data={"cluster_name": "赤峰有色金属产业集群"})
    app.status = Status.PUBLICISING
    app.save()
    today = timezone.localdate()
    Decision.objects.create(
        application=app, version=app.latest_version, outcome=Decision.Outcome.SUPPORT, amount="300.00",
        publicity_starts=today, publicity_ends=today + timedelta(days=6), decided_by=department,
    )  # fmt: skip
    objection = objections.submit(
        app, name="王建国", organisation="个人", phone="13904721234", content="数据不实。",
        uploaded_file=factories.upload(), file_type="pdf",
    )  # fmt: skip
    return app, objection


def finished_job(owner):
    """A finished 汇总表 PDF job (documents/jobs.py): only its owner may see or download it."""
    from django.core.files.base import ContentFile

    from documents.models import DocumentJob

    job = DocumentJob(owner=owner, kind="summary_pdf", title="汇总表", status="done", filename="汇总表.pdf")
    job.file.save("job.pdf", ContentFile(b"%PDF-1.7"), save=False)
    job.expires_at = timezone.now() + timedelta(hours=1)
    job.save()
    return job.pk


# --- The table ---


@dataclass
class Route:
    """How to reach one pattern, and what each role gets. `expect` maps a role to a status, or to
    (own, other) for a pattern that takes an object; "*" covers the roles not named."""

    kwargs: object = None  # (world, side, user) -> kwargs; None for a pattern without an object
    expect: dict = field(default_factory=dict)
    method: str = "GET"
    query: str = ""

    def status(self, role, side):
        value = self.expect.get(role, self.expect.get("*"))
        return value[SIDES.index(side)] if isinstance(value, tuple) else value


def app_pk(w, side, user):
    return {"pk": getattr(w, side).app.pk}


def app_and(**extra):
    return lambda w, side, user: {**app_pk(w, side, user), **extra}


def call_code(name):
    return lambda w, side, user: {name: w.call}


def revision(**extra):
    """The call's first schema revision (a call's pages are the same for both sides)."""
    return lambda w, side, user: {"code": w.call, "number": 1, **extra}


def attachment(w, side, user):
    return {"attachment_id": getattr(w, side).attachment}


def app_attachment(w, side, user):
    return {"pk": getattr(w, side).app.pk, "attachment_id": getattr(w, side).attachment}


def review_pk(w, side, user):
    return {"review_pk": getattr(w, side).review}


def app_review(w, side, user):
    return {"pk": getattr(w, side).app.pk, "review_pk": getattr(w, side).review}


def review_file(kind, attribute):
    return lambda w, side, user: {"kind": kind, "file_id": getattr(getattr(w, side), attribute)}


def organisation(w, side, user):
    return {"pk": getattr(w, side).app.organisation_id}


def organisation_action(w, side, user):
    return {**organisation(w, side, user), "action": "disable"}


def region(w, side, user):
    return {"pk": getattr(w, side).app.lead_region_id}


def account(w, side, user):
    """Own: a business account (the 包头 applicant's); other: an operator's (三员分立)."""
    return {"pk": w.own.applicant.pk if side == "own" else w.users["security_admin"].pk}


def account_action(w, side, user):
    return {**account(w, side, user), "action": "disable"}


def notification(w, side, user):
    """Own: the signed-in person's message (the applicant's for the anonymous visitor); other: the
    通辽 applicant's."""
    mine = user.pk if user and user.pk in w.notes else w.own.applicant.pk
    return {"pk": w.notes[mine if side == "own" else w.other.applicant.pk]}


def verify_code(w, side, user):
    return {"code": getattr(w, side).code}


def document(w, side, user):
    return {"pk": getattr(w, side).app.pk, "document": "report", "fmt": "docx"}


def official_document(w, side, user):
    return {"pk": getattr(w, side).official}


def document_job(w, side, user):
    """Own: the 自治区工信厅's export; other: one the 通辽 applicant owns (no role may open another's)."""
    return {"pk": w.jobs[side]}


def publicised_number(w, side, user):
    """Own: the application in 公示; other: the 通辽 one, under expert review, which the public never sees."""
    return {"number": w.publicised.number if side == "own" else w.other.app.number}


def publicised_objection(w, side, user):
    """Own: the 异议 with its application; other: the same 异议 under the 通辽 application (a mismatch)."""
    app = w.publicised if side == "own" else w.other.app
    return {"pk": app.pk, "objection_pk": w.objection}


def publicised_pk(w, side, user):
    return {"pk": w.publicised.pk if side == "own" else w.other.app.pk}


def pool_expert(w, side, user):
    """Own: an expert of the 专家库; other: an account that is not an expert (not in the pool: 404)."""
    return {"pk": w.users["expert"].pk if side == "own" else w.own.applicant.pk}


def draw_pk(w, side, user):
    return {"draw_pk": getattr(w, side).draw}


def draw_and(**extra):
    return lambda w, side, user: {**draw_pk(w, side, user), **extra}


def login_first(**statuses):
    """A page behind the login: the anonymous visitor is sent to sign in."""
    return {"anonymous": LOGIN, **statuses}


OFFICIALS = login_first(bureau=200, department=200, **{"*": 403})
DEPARTMENT_ONLY = login_first(department=200, **{"*": 403})
# What an application's own people see of it; everyone else is told it does not exist (404).
CONTENT = login_first(applicant=(200, 404), bureau=(200, 404), department=200, expert=(200, 404), **{"*": 404})
# The applicant's editor: reviewers who may read the application are sent to their own pages.
EDITOR = {**CONTENT, "bureau": (302, 404), "department": 302, "expert": (302, 404)}
# The applicant's own tools: a reviewer who may read the application may not use them (403).
APPLICANT_TOOL = {**CONTENT, "bureau": (403, 404), "department": 403, "expert": (403, 404)}
APPLICANT_ACTION = {**APPLICANT_TOOL, "applicant": (ALLOWED, 404)}
# The review records (site-visit photos, sealed 推荐文件, history): officials only, never an expert.
REVIEW_RECORDS = {**CONTENT, "applicant": 404, "expert": 404}
LEAD_BUREAU_ACTION = {**REVIEW_RECORDS, "bureau": (ALLOWED, 404), "department": 403}

ROUTES = {
    # portal, public pages
    "portal:home": Route(expect={"*": 200}),
    # The load balancer's health check: answers everyone, shows nothing (portal/tests/test_health.py).
    "portal:health": Route(expect={"*": 200}),
    # The public 公示 and its 异议 form: anyone, signed in or not; only what is in 公示 (else 404).
    "portal:publicity": Route(expect={"*": 200}),
    "portal:objection": Route(publicised_number, {"*": (200, 404)}),
    "verify_form": Route(expect={"*": 200}),
    "verify": Route(verify_code, {"*": 200}),
    "calls:guide": Route(call_code("code"), {"*": 200}),
    "regions:list": Route(expect={"system_admin": 200, "department": 200, "*": 403}),
    "regions:edit": Route(region, {"system_admin": 200, "*": 403}),
    # calls: authoring and publication are the 自治区工信厅's (authoring/); a refused POST changes nothing
    "authoring:list": Route(expect=DEPARTMENT_ONLY),
    "authoring:copy": Route(expect=DEPARTMENT_ONLY),
    "authoring:call": Route(call_code("code"), DEPARTMENT_ONLY),
    "authoring:guide": Route(call_code("code"), DEPARTMENT_ONLY),
    "authoring:window": Route(call_code("code"), DEPARTMENT_ONLY),
    "authoring:unpublish": Route(call_code("code"), {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "authoring:upload": Route(call_code("code"), {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "authoring:compare": Route(call_code("code"), DEPARTMENT_ONLY, query="?from=1&to=1"),
    "authoring:download": Route(revision(fmt="yaml"), DEPARTMENT_ONLY),
    "authoring:preview": Route(revision(), DEPARTMENT_ONLY),
    "authoring:preview_pdf": Route(revision(document="report"), DEPARTMENT_ONLY),
    "authoring:publish": Route(revision(), DEPARTMENT_ONLY),
    # the 安全管理员's policy (三员分立)
    "security:policy": Route(expect=login_first(security_admin=200, **{"*": 403})),
    # accounts: a signed-in person is sent on from the login and registration pages
    "accounts:login": Route(expect={"anonymous": 200, "*": 302}),
    "accounts:logout": Route(method="POST", expect={"*": ALLOWED}),
    "accounts:session_expired": Route(expect={"*": 200}),
    "accounts:password_change": Route(expect=login_first(**{"*": 200})),
    # The second factor: staff have passed it (force_login does, see conftest.py); the applicant has not
    # opted in, so it has no codes to regenerate and is sent on from the code step to bind one.
    "accounts:two_factor": Route(expect=login_first(**{"*": 200})),
    "accounts:two_factor_verify": Route(expect={"*": 302}),
    "accounts:two_factor_setup": Route(expect=login_first(**{"*": 200})),
    "accounts:recovery_codes_regenerate": Route(method="POST", expect=login_first(applicant=403, **{"*": ALLOWED})),
    "accounts:register": Route(expect={"anonymous": 200, "*": 302}),
    # The applicant's registration is approved, so no longer editable; other roles have none.
    "accounts:edit_registration": Route(expect=login_first(applicant=403, **{"*": 404})),
    "accounts:organisation_list": Route(expect={"bureau": 200, "department": 200, "system_admin": 200, "*": 403}),
    "accounts:organisation_detail": Route(
        organisation, {"bureau": (200, 404), "department": 200, "system_admin": 200, "*": 403}
    ),
    "accounts:organisation_accounts": Route(organisation_action, {"system_admin": ALLOWED, "*": 403}, method="POST"),
    "accounts:account_list": Route(expect={"system_admin": 200, "*": 403}),
    "accounts:account_create": Route(expect={"system_admin": 200, "*": 403}),
    "accounts:account_detail": Route(account, {"system_admin": 200, "*": 403}),
    "accounts:account_action": Route(account_action, {"system_admin": (ALLOWED, 403), "*": 403}, method="POST"),
    # applications: the applicant's record
    "applications:start": Route(call_code("call_code"), login_first(applicant=ALLOWED, **{"*": 403}), method="POST"),
    "applications:overview": Route(app_pk, EDITOR),
    "applications:section": Route(app_and(section="industry"), EDITOR),
    "applications:autosave": Route(app_pk, APPLICANT_ACTION, method="POST"),
    "applications:attachments": Route(app_pk, EDITOR),
    "applications:upload": Route(app_and(slot="commitment_scan"), APPLICANT_ACTION, method="POST"),
    "applications:replace": Route(app_attachment, APPLICANT_ACTION, method="POST"),
    "applications:remove": Route(app_attachment, APPLICANT_ACTION, method="POST"),
    "applications:download": Route(attachment, CONTENT),
    "applications:check": Route(app_pk, EDITOR),
    "applications:submit": Route(app_pk, APPLICANT_ACTION, method="POST"),
    "applications:withdraw": Route(app_pk, APPLICANT_ACTION, method="POST"),
    "applications:receipt": Route(app_and(number=1), CONTENT),
    # documents and exports
    "documents:workbook": Route(app_pk, CONTENT, query="?version=1"),
    "documents:workbook_blank": Route(app_pk, APPLICANT_TOOL),
    "documents:workbook_import": Route(app_pk, APPLICANT_TOOL),
    "documents:download": Route(document, CONTENT, query="?version=1"),
    # 重新生成 a failed official PDF: the 自治区; those who see the application but may not are refused.
    "documents:official_regenerate": Route(
        official_document,
        {**CONTENT, "applicant": (403, 404), "bureau": (403, 404), "department": ALLOWED, "expert": (403, 404)},
        method="POST",
    ),
    "documents:summary": Route(expect=OFFICIALS),
    "documents:summary_xlsx": Route(expect=OFFICIALS),
    "documents:summary_pdf": Route(method="POST", expect=login_first(bureau=ALLOWED, department=ALLOWED, **{"*": 403})),
    "documents:job": Route(document_job, login_first(department=(200, 404), **{"*": 404})),
    "documents:job_download": Route(document_job, login_first(department=(200, 404), **{"*": 404})),
    "documents:recommendation_list": Route(expect=login_first(bureau=200, **{"*": 403})),
    "documents:recommendation_xlsx": Route(expect=login_first(bureau=200, **{"*": 403})),
    "documents:recommendation_pdf": Route(expect=login_first(bureau=200, **{"*": 403})),
    "dashboards:index": Route(expect=OFFICIALS),
    "dashboards:download": Route(lambda w, side, user: {"slug": "status"}, OFFICIALS),
    # reviews: 盟市 and 自治区
    "reviews:inbox": Route(expect=OFFICIALS),
    # An applicant is sent to its overview whatever the number, which then answers for the object.
    "reviews:detail": Route(app_pk, {**REVIEW_RECORDS, "applicant": 302}),
    "reviews:changes": Route(app_pk, REVIEW_RECORDS),
    "reviews:return": Route(app_pk, {**REVIEW_RECORDS, "bureau": (ALLOWED, 404), "department": ALLOWED}, method="POST"),
    "reviews:file": Route(review_file("photo", "photo"), REVIEW_RECORDS),
    "reviews:site_visit": Route(app_pk, LEAD_BUREAU_ACTION, method="POST"),
    "reviews:recommend": Route(app_pk, LEAD_BUREAU_ACTION, method="POST"),
    # 会签: a participating 盟市's alone; the lead 盟市 and the 自治区 read the application but may not sign.
    "reviews:countersign": Route(app_pk, {**REVIEW_RECORDS, "bureau": (403, 404), "department": 403}, method="POST"),
    "reviews:accept": Route(app_pk, DEPARTMENT_ONLY),
    "reviews:scores": Route(app_pk, DEPARTMENT_ONLY),
    "reviews:withdraw_expert": Route(app_review, {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "reviews:scoresheet": Route(app_and(fmt="xlsx"), DEPARTMENT_ONLY),
    # Both applications are still 专家评审中: no decision to show yet, even to the 自治区.
    "reviews:decide": Route(app_pk, {**DEPARTMENT_ONLY, "department": 404}),
    "reviews:establish": Route(app_pk, {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "reviews:schedule": Route(call_code("code"), DEPARTMENT_ONLY),
    # 公示, 异议 and 立项: the 自治区's; the 立项通知 also its applicant's once 已立项 (none is yet: 404;
    # reviews/tests/test_publicity.py proves the 200s and the other applicant's 404 after 立项).
    "reviews:answer_objection": Route(
        publicised_objection, login_first(department=(ALLOWED, 404), **{"*": 403}), method="POST"
    ),
    "reviews:objection_file": Route(publicised_objection, login_first(department=(200, 404), **{"*": 403})),
    "reviews:revoke": Route(publicised_pk, {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "reviews:notice": Route(app_and(fmt="pdf"), login_first(**{"*": 404})),
    "reviews:results": Route(lambda w, side, user: {"code": w.call, "fmt": "xlsx"}, DEPARTMENT_ONLY),
    "reviews:publicity_text": Route(lambda w, side, user: {"code": w.call, "fmt": "docx"}, DEPARTMENT_ONLY),
    "reviews:establishment_list": Route(lambda w, side, user: {"code": w.call, "fmt": "pdf"}, DEPARTMENT_ONLY),
    # reviews: 随机抽取 and its record, the 自治区's alone
    "reviews:draw": Route(app_pk, DEPARTMENT_ONLY),
    "reviews:draw_record": Route(draw_pk, DEPARTMENT_ONLY),
    "reviews:draw_verify": Route(draw_pk, {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "reviews:draw_document": Route(draw_and(fmt="docx"), DEPARTMENT_ONLY),
    # 评审组: the 自治区 and the group's 组长 (no expert leads a group in this world: 404 to experts)
    "reviews:group": Route(draw_pk, login_first(department=200, expert=404, expert_unassigned=404, **{"*": 403})),
    "reviews:group_leader": Route(draw_pk, {**DEPARTMENT_ONLY, "department": ALLOWED}, method="POST"),
    "reviews:group_opinions": Route(
        draw_and(fmt="pdf"), login_first(department=200, expert=404, expert_unassigned=404, **{"*": 403})
    ),
    # reviews: the 专家库, the 自治区's alone
    "reviews:pool": Route(expect=DEPARTMENT_ONLY),
    "reviews:pool_add": Route(expect=DEPARTMENT_ONLY),
    "reviews:pool_import": Route(expect=DEPARTMENT_ONLY),
    "reviews:pool_export": Route(expect=DEPARTMENT_ONLY),
    "reviews:pool_edit": Route(pool_expert, {**DEPARTMENT_ONLY, "department": (200, 404)}),
    "reviews:pool_status": Route(pool_expert, {**DEPARTMENT_ONLY, "department": (ALLOWED, 404)}, method="POST"),
    # reviews: experts — an expert's task is its own; the 自治区 follows scores on its own pages
    "reviews:expert_tasks": Route(expect=login_first(expert=200, expert_unassigned=200, **{"*": 403})),
    "reviews:expert_review": Route(review_pk, login_first(expert=(200, 404), **{"*": 404})),
    "reviews:expert_declare": Route(review_pk, login_first(expert=(ALLOWED, 404), **{"*": 404}), method="POST"),
    "reviews:expert_decline": Route(review_pk, login_first(expert=(ALLOWED, 404), **{"*": 404}), method="POST"),
    # notifications: one's own messages only
    "notifications:list": Route(expect=login_first(**{"*": 200})),
    "notifications:open": Route(notification, login_first(**{"*": (ALLOWED, 404)}), method="POST"),
    "notifications:read_all": Route(method="POST", expect=login_first(**{"*": ALLOWED})),
}

# The sealed 推荐文件 is served by the same view as the photo; checked as a second object kind.
EXTRA = {
    "reviews:file[recommendation]": ("reviews:file", Route(review_file("recommendation", "sealed"), REVIEW_RECORDS)),
}


def audit_entry(w, side, user):
    """The latest audit entry (the log is not per organisation, so both sides are the same entry)."""
    from audit.models import AuditEntry

    latest = AuditEntry.objects.order_by("-seq").first()
    return {"seq": latest.seq if latest else 1}


# The audit log's pages are the 审计管理员's alone (三员分立); a new one taking another argument must be
# declared here.
AUDIT_KWARGS = {(): None, ("seq",): audit_entry}


def _audit_route(arguments):
    builder = AUDIT_KWARGS[arguments]
    return Route(builder, login_first(audit_admin=200, **{"*": 403}))


# --- Discovery ---


def discovered_patterns(resolver=None, namespace="", arguments=()):
    """Every URL pattern the project resolves: `namespace:name` (or its route when unnamed) → the names
    of the arguments it takes."""
    found = {}
    for entry in (resolver or get_resolver()).url_patterns:
        taken = arguments + tuple(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(discovered_patterns(entry, inner, taken))
        elif isinstance(entry, URLPattern):
            found[f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>"] = tuple(sorted(taken))
    return found


def table():
    """(label, url name, route) for every discovered pattern, the audit app's filled in by its rule."""
    rows = []
    for name, arguments in discovered_patterns().items():
        if name in ROUTES:
            rows.append((name, name, ROUTES[name]))
        elif name.startswith("audit:") and arguments in AUDIT_KWARGS:
            rows.append((name, name, _audit_route(arguments)))
    rows += [(label, name, route) for label, (name, route) in EXTRA.items()]
    return rows


def test_every_url_pattern_is_in_the_access_table():
    listed = {name for name, _, _ in table()}
    unlisted = [name for name in discovered_patterns() if name not in listed]
    assert unlisted == [], "add these patterns to ROUTES in tests/test_access.py"
    stale = [name for name in ROUTES if name not in discovered_patterns()]
    assert stale == [], "these patterns no longer exist"


# --- The matrix ---

# Rows whose content may change under a refused POST; the audit log and login records may grow.
WATCHED_APPS = ("accounts", "applications", "calls", "documents", "notifications", "regions", "reviews")


def fingerprint():
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in WATCHED_APPS:
            rows = model.objects.order_by("pk").values()
            digest.update(repr([{k: v for k, v in row.items() if k != "last_login"} for row in rows]).encode())
    return digest.hexdigest()


def _check(client, world, role, user, label, name, route, side):
    expected = route.status(role, side)
    kwargs = route.kwargs(world, side, user) if route.kwargs else {}
    url = reverse(name, kwargs=kwargs) + route.query
    where = f"{label} {role} {side} {url}"
    problems = []
    if route.method == "POST":
        # GET never acts: the role that may post is told 405; others may be stopped earlier.
        got = client.get(url).status_code
        wanted = {LOGIN, 403, 405} if role == "anonymous" else {405} if expected is ALLOWED else {403, 404, 405}
        if got not in wanted:
            problems.append(f"{where}: GET gave {got}, expected one of {sorted(wanted)}")
        if expected is ALLOWED:
            return problems
        before = fingerprint()
        got = client.post(url).status_code
        if got != expected:
            problems.append(f"{where}: POST gave {got}, expected {expected}")
        if fingerprint() != before:
            problems.append(f"{where}: a refused POST changed the database")
        return problems
    response = client.get(url)
    if response.status_code != expected:
        problems.append(f"{where}: GET gave {response.status_code}, expected {expected}")
    elif role == "anonymous" and expected == LOGIN and not response.url.startswith(reverse("accounts:login")):
        problems.append(f"{where}: redirected to {response.url}, not to the login page")
    elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        shown = response.content.decode()
        problems += [
            f"{where}: the page shows {marker}" for marker in foreign_markers(world, role, name) if marker in shown
        ]
    return problems


def foreign_markers(world, role, name):
    """What of the 通辽 application a page may not show a role outside its scope: its number, and for
    the roles that see no other organisation, its 申报单位's name and its cluster's name."""
    if role == "department" or (role == "audit_admin" and name.startswith("audit:")):
        # The 自治区 sees every application; the audit log names the objects it records.
        return []
    other = world.other.app
    # The verify page confirms a printed code with its 申报编号 to anyone; only the content is scoped.
    markers = [] if name == "verify" else [other.number]
    markers.append(other.data["cluster_name"])
    if role != "system_admin":  # the 系统管理员 manages every organisation's accounts
        markers.append(other.organisation.name)
    return markers


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end; each test runs in a
    savepoint within it (pytest-django's `db`), so a test's changes never reach the next."""
    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root), transaction.atomic():
        factories.open_call()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def pdf_stand_in(monkeypatch):
    """Who may have a PDF is this module's question; how it is laid out is documents/tests'. Every PDF the table
    downloads is still built up to its HTML (a broken template still fails), then a small stand-in replaces the
    WeasyPrint layout, which was most of this module's time."""

    def stand_in(html, **_properties):
        assert "<html" in html
        return b"%PDF-1.7\n% access-table stand-in\n%%EOF\n"

    monkeypatch.setattr(pdf, "html_to_pdf", stand_in)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_access_table_says(client, world, role):
    user = world.users.get(role)
    if user:
        client.force_login(user)
    problems = []
    for label, name, route in table():
        for side in SIDES if route.kwargs else SIDES[:1]:
            problems += _check(client, world, role, user, label, name, route, side)
    assert not problems, "\n".join(problems)


def test_mixed_object_references_are_refused_and_change_nothing(client, world):
    """One's own object in the path with another's identifier beside it (直接对象引用): always 404."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.attachments import add_attachment
    from applications.demo import demo_pdf

    draft = factories.application()  # editable, so the attachment check is what refuses
    owner = draft.organisation.users.get()
    mine = add_attachment(draft, "commitment_scan", SimpleUploadedFile("承诺书.pdf", demo_pdf("commitment")), owner)
    own, other = world.own, world.other
    cases = [
        (owner, "POST", reverse("applications:replace", args=[draft.pk, other.attachment])),
        (owner, "POST", reverse("applications:remove", args=[draft.pk, own.attachment])),
        (owner, "POST", reverse("applications:remove", args=[draft.pk, mine.pk + 1000])),
        (own.applicant, "GET", reverse("applications:receipt", args=[own.app.pk, 2])),
        (own.applicant, "GET", reverse("documents:download", args=[own.app.pk, "report", "docx"]) + "?version=2"),
        (own.applicant, "GET", reverse("documents:workbook", args=[own.app.pk]) + "?version=x"),
        (world.users["expert"], "GET", reverse("applications:receipt", args=[other.app.pk, 1])),
        (world.users["department"], "POST", reverse("reviews:withdraw_expert", args=[own.app.pk, other.review])),
        (world.users["bureau"], "GET", reverse("reviews:file", args=["user", own.photo])),
        (world.users["bureau"], "GET", reverse("reviews:file", args=["recommendation", own.photo + 1000])),
    ]
    problems = []
    for user, method, url in cases:
        client.force_login(user)
        before = fingerprint()
        got = (client.post if method == "POST" else client.get)(url).status_code
        if got != 404:
            problems.append(f"{user.role} {method} {url}: {got}, expected 404")
        if fingerprint() != before:
            problems.append(f"{user.role} {method} {url}: changed the database")
    assert not problems, "\n".join(problems)


# --- A password alone reaches nothing but the second-factor pages ---

SECOND_STEP_PAGES = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:logout",
    "accounts:session_expired",
}


@pytest.mark.password_only
@pytest.mark.parametrize("role", ["department", "system_admin"])
def test_a_password_only_staff_session_is_sent_to_the_second_factor_from_every_url(client, world, role):
    """Discovered like the matrix above, so a new view cannot be reached before the second factor."""
    client.force_login(world.users[role])
    setup = reverse("accounts:two_factor_setup")
    problems = []
    for label, name, route in table():
        if name in SECOND_STEP_PAGES:
            continue
        kwargs = route.kwargs(world, "own", world.users[role]) if route.kwargs else {}
        url = reverse(name, kwargs=kwargs) + route.query
        for method in ("GET", "POST") if route.method == "POST" else ("GET",):
            response = (client.post if method == "POST" else client.get)(url)
            if response.status_code != 302 or not response["Location"].startswith(setup):
                problems.append(f"{label} {method} {url}: {response.status_code} {response.get('Location', '')}")
    assert not problems, "\n".join(problems)

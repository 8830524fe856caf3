"""The one place that answers "may this user see, or do this to, that object".

Views never filter by hand: a list asks for the queryset a user may see, and an action asks a
`may_*` question. Objects outside a user's scope are reported as not found (404), so their
existence does not leak; actions refused on a visible object are forbidden (403).

Scoping sits in `accounts`, below the apps whose objects it rules on (calls, applications, reviews,
documents), because their own logic asks it questions (applications/workflow.py, documents/jobs.py); a
lower app importing a higher one would make the layers a cycle (docs/architecture.md). So it imports
none of their models and reaches them three ways, keeping every rule here:
- a `may_*` question reads the object it is handed: attributes and model properties
  (`application.awaits_bureau`), never a status string or enum;
- an expert's own reviews come through the account's reverse relation (`user.expert_reviews`);
- a list the rule draws from a whole table takes that table's queryset from the caller, the way
  django-guardian's `get_objects_for_user` takes a model: `applications_for(user, applications)`.
  The model's queryset offers it as `Application.objects.visible_to(user)`, and names the groups the
  rule speaks of (`exclude_drafts()`, `readable()`), so no status leaves its enum.
Messages (`notifications`) sit below accounts and are imported as usual.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import OPERATOR_ROLES, Organisation, Role, User
from audit.refusals import OutOfScope
from notifications.models import Notification
from regions.models import Region


def has_role(user, *roles) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def require_role(*roles):
    """View decorator: the signed-in user must hold one of `roles`, otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- One object a user asked for: 404 outside its scope, whether the object exists or not ---


def get_visible_or_404(visible, **lookup):
    """The one object of `visible` (a queryset this module returned for the user) matching `lookup`, or a 404.

    The 404 is the same page whether the object is missing or exists outside the user's scope, so its
    existence does not leak; only the audit entry (audit/refusals.py) tells them apart. The check that
    it exists costs a query on the refused path alone."""
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        raise not_visible(visible.model, **lookup) from None


def not_visible(model, **lookup) -> Http404:
    """The 404 to raise for the `model` row matching `lookup` that this user may not see: an OutOfScope,
    naming the row for the audit log, if it exists; a plain Http404 if it does not. Same page either way."""
    message = f"没有这个{model._meta.verbose_name}。"
    found = model._base_manager.filter(**lookup).values_list("pk", flat=True).first()
    if found is None:
        return Http404(message)
    return OutOfScope(model._meta.model_name, found, message)


def out_of_scope(obj) -> Http404:
    """The 404 to raise for `obj`, which exists but which a `may_*` question refused this user."""
    return OutOfScope(obj._meta.model_name, obj.pk, f"没有这个{obj._meta.verbose_name}。")


# --- Organisations (申报单位) ---


def organisations_for(user):
    """The organisations a user may see: its own, its 盟市's, or all for region-wide roles."""
    qs = Organisation.objects.select_related("region")
    if has_role(user, Role.APPLICANT):
        return qs.filter(pk=user.organisation_id)
    if has_role(user, Role.BUREAU):
        return qs.filter(region_id=user.region_id)
    if has_role(user, Role.DEPARTMENT, Role.SYSTEM_ADMIN):
        return qs
    return qs.none()


def may_review_registration(user, organisation) -> bool:
    """Only the 盟市工信局 of the organisation's own 盟市 approves or rejects its registration."""
    return (
        has_role(user, Role.BUREAU)
        and organisation.region_id == user.region_id
        and organisation.status == Organisation.Status.PENDING
    )


def may_edit_registration(user, organisation) -> bool:
    """An applicant corrects its registration while it waits, or after it was rejected."""
    return (
        has_role(user, Role.APPLICANT)
        and organisation.pk == user.organisation_id
        and organisation.status != Organisation.Status.APPROVED
    )


def may_apply(user) -> bool:
    """Only an applicant whose registration its 盟市 approved may fill and submit applications."""
    return has_role(user, Role.APPLICANT) and user.organisation is not None and user.organisation.is_approved


# --- Accounts ---


def accounts_for(user):
    """The accounts a user may list: all of them for the 系统管理员, none for anyone else."""
    if has_role(user, Role.SYSTEM_ADMIN):
        return User.objects.select_related("organisation", "region")
    return User.objects.none()


def may_create_accounts(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMIN)


def may_manage_account(user, target) -> bool:
    """三员分立: the 系统管理员 manages business accounts, never an operator's (its own included)."""
    return has_role(user, Role.SYSTEM_ADMIN) and target.role not in OPERATOR_ROLES


def may_manage_organisation(user, organisation) -> bool:
    """停用/启用 a 申报单位's accounts: the 系统管理员, for an organisation it can see (all of them)."""
    return has_role(user, Role.SYSTEM_ADMIN) and organisations_for(user).filter(pk=organisation.pk).exists()


# --- 盟市 (the 系统管理员's reference data) ---


def may_manage_regions(user) -> bool:
    """盟市 names and their 工信局 names; the GB/T 2260 codes never change."""
    return has_role(user, Role.SYSTEM_ADMIN)


def regions_for_management(user):
    """The 盟市 whose names a user may correct: all of them for the 系统管理员, none for anyone else."""
    return Region.objects.all() if may_manage_regions(user) else Region.objects.none()


# --- Calls: their authoring and publication are the 自治区工信厅's business (authoring/) ---


def may_author_calls(user) -> bool:
    """Creating a call by copying, editing its guide, window and form, previewing and publishing it."""
    return has_role(user, Role.DEPARTMENT)


def calls_for_authoring(user, calls):
    """Of `calls` (Call.objects), those a user may author: all of them, published or not, for the
    自治区工信厅; none for anyone else."""
    return calls.all() if may_author_calls(user) else calls.none()


# --- Operator pages ---


def may_manage_security_policy(user) -> bool:
    """三员分立: the security policy is the 安全管理员's alone to see and set; it manages no account and
    reads no content."""
    return has_role(user, Role.SECURITY_ADMIN)


def may_read_login_log(user) -> bool:
    return has_role(user, Role.AUDIT_ADMIN)


def may_read_audit_log(user) -> bool:
    """三员分立: the hash-chained audit log, its export and its check are the 审计管理员's alone."""
    return has_role(user, Role.AUDIT_ADMIN)


# --- Applications (申报书) ---


def applications_for(user, applications):
    """Of `applications` (Application.objects, or any queryset of it), those a user may see: its own;
    those its 盟市 leads or takes part in, once submitted; every submitted one region-wide; for an
    expert, those assigned to it once it declared no conflict. `Application.objects.visible_to(user)`."""
    qs = applications.select_related("call", "organisation", "lead_region")
    if has_role(user, Role.APPLICANT):
        return qs.filter(organisation_id=user.organisation_id)
    if has_role(user, Role.BUREAU):
        led, joined = qs.filter(lead_region_id=user.region_id), qs.joined_by(user.region_id)
        return (led | joined).exclude_drafts()
    if has_role(user, Role.DEPARTMENT):
        return qs.exclude_drafts()
    if has_role(user, Role.EXPERT):
        # An expert reads an application's content only after declaring no conflict of interest.
        readable = user.expert_reviews.readable()
        return qs.filter(pk__in=readable.values("application_id")).exclude_drafts()
    return qs.none()


def may_view_application(user, application) -> bool:
    # The rule is applications_for's alone; it runs on the object's own model, which scoping never imports.
    return applications_for(user, type(application)._default_manager.filter(pk=application.pk)).exists()


def is_applicant_of(user, application) -> bool:
    """The user belongs to the 申报单位 that owns the application (and so may see its draft)."""
    return may_apply(user) and application.organisation_id == user.organisation_id


def may_edit_application(user, application) -> bool:
    """Only the applicant's own users, only while the record is a draft or returned for revision."""
    return may_apply(user) and application.organisation_id == user.organisation_id and application.is_editable


def may_withdraw_application(user, application) -> bool:
    """撤回: the applicant, while it waits for its 盟市 (before the 盟市 acts)."""
    return may_apply(user) and application.organisation_id == user.organisation_id and application.awaits_bureau


def may_download_attachment(user, attachment) -> bool:
    """The applicant, any file it still has; a reviewer, only files frozen into a submitted version."""
    application = attachment.application
    if is_applicant_of(user, application):
        return not attachment.removed_at
    if not may_view_application(user, application):
        return False
    return any(f.get("id") == attachment.pk for v in application.versions.all() for f in v.attachments)


# --- Lists for officials (汇总表, 推荐清单) ---


def may_export_summary(user) -> bool:
    """汇总表: the 自治区工信厅 over every 盟市, a 盟市工信局 over the applications it leads."""
    return has_role(user, Role.DEPARTMENT, Role.BUREAU)


def summarised_for(user, applications):
    """Of `applications` (Application.objects), what a 汇总表 covers: every submitted application for the
    自治区; those its 盟市 leads for a 盟市工信局."""
    if has_role(user, Role.BUREAU):
        return led_applications(user, applications)
    visible = applications_for(user, applications)
    return visible if may_export_summary(user) else visible.none()


def may_export_recommendation_list(user) -> bool:
    """推荐清单: only a 盟市工信局, which seals the list of what it recommended."""
    return has_role(user, Role.BUREAU)


def recommended_for(user, call):
    """The applications for `call` that this 盟市工信局 recommended (推荐), in any state after it."""
    visible = applications_for(user, call.applications)
    if not may_export_recommendation_list(user):
        return visible.none()
    return visible.filter(lead_region_id=user.region_id).recommended()


def document_jobs_for(user, jobs):
    """Of `jobs` (DocumentJob.objects; documents/jobs.py), the exports a person asked for: each sees and
    downloads only its own; an anonymous visitor none."""
    if not user.is_authenticated:
        return jobs.none()
    return jobs.filter(owner=user)


def may_regenerate_official_document(user, application) -> bool:
    """重新生成 a submitted version's official PDF that failed (documents/official.py): the 自治区工信厅."""
    return has_role(user, Role.DEPARTMENT) and may_view_application(user, application)


def failed_official_documents_for(user, documents):
    """Of `documents` (OfficialDocument.objects), the official PDFs that could not be made, for the
    自治区工信厅 who may 重新生成 them; none for anyone else."""
    if not has_role(user, Role.DEPARTMENT):
        return documents.none()
    return documents.failed().select_related("version__application").order_by("version__submitted_at", "pk")


# --- Notifications ---


def notifications_for(user):
    """A person's own messages, and nobody else's; none while the account is disabled or signed out."""
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


# --- Review (盟市初审, 自治区受理, 专家评审) ---


def leads_application(user, application) -> bool:
    """The 盟市工信局 of the application's lead 盟市: the one that reviews and recommends it."""
    return has_role(user, Role.BUREAU) and application.lead_region_id == user.region_id


def joins_application(user, application) -> bool:
    """The 盟市工信局 of a participating 盟市 (参与盟市) of a submitted application: it reads, and gives its
    会签 opinion, but never acts in the lead 盟市's place. Never a draft: those are the applicant's alone."""
    return (
        has_role(user, Role.BUREAU)
        and application.lead_region_id != user.region_id
        and not application.is_draft
        and application.participating_regions.filter(pk=user.region_id).exists()
    )


def may_countersign(user, application) -> bool:
    """会签: a participating 盟市工信局, while the lead 盟市 has the application under 初审 (before it
    recommends or returns it), when the call asks for 会签. Once per version (reviews/countersign.py)."""
    return application.awaits_bureau and application.schema.asks_countersign and joins_application(user, application)


def countersigns_for(user, application):
    """The 会签 opinions on `application` a user may read (`application.countersigns`): every one for the
    lead 盟市, the 自治区 and an expert who may read the application (after declaring no conflict); a
    participating 盟市 only its own; nobody else any."""
    opinions = application.countersigns.select_related("version", "region", "recorded_by")
    if leads_application(user, application) or has_role(user, Role.DEPARTMENT):
        return opinions if may_view_application(user, application) else opinions.none()
    if has_role(user, Role.EXPERT) and may_view_application(user, application):
        return opinions
    if joins_application(user, application):
        return opinions.filter(region_id=user.region_id)
    return opinions.none()


def led_applications(user, applications):
    """Of `applications` (Application.objects), a 盟市工信局's inbox: the submitted ones whose lead 盟市 is
    its own (not those it only joins)."""
    visible = applications_for(user, applications)
    if not has_role(user, Role.BUREAU):
        return visible.none()
    return visible.filter(lead_region_id=user.region_id)


def may_review_records(user, application) -> bool:
    """Site visits, recommendation files and the history of opinions: the officials who see the application."""
    return has_role(user, Role.BUREAU, Role.DEPARTMENT) and may_view_application(user, application)


def may_record_site_visit(user, application) -> bool:
    """实地核实: the lead 盟市工信局, before it recommends or returns the application."""
    return leads_application(user, application) and application.awaits_bureau


def expert_reviews_for(user, reviews):
    """Of `reviews` (ExpertReview.objects), those a user may see: an expert's own current assignments
    (`current()`: never a rule exclusion, no longer a withdrawn one); all of them for the 自治区.
    `ExpertReview.objects.visible_to(user)`."""
    qs = reviews.select_related("application", "application__organisation", "expert", "version")
    if has_role(user, Role.EXPERT):
        return qs.filter(expert=user).current()
    if has_role(user, Role.DEPARTMENT):
        return qs
    return qs.none()


def is_assigned_expert(user, application) -> bool:
    return expert_reviews_for(user, application.expert_reviews).filter(expert=user).exists()


def may_manage_experts(user) -> bool:
    """Assigning experts, following scoring and reading every score: the 自治区工信厅 only."""
    return has_role(user, Role.DEPARTMENT)


def may_extend_deadlines(user) -> bool:
    return has_role(user, Role.DEPARTMENT)


# --- Decision, 公示 and 立项 ---


def may_decide(user) -> bool:
    """拟支持 / 不予支持, answering 异议, 立项, and their lists (评审结果汇总表, 公示 text, 立项清单):
    the 自治区工信厅."""
    return has_role(user, Role.DEPARTMENT)


def publicised(applications, today):
    """Of `applications` (Application.objects), what the public 公示 page shows anyone, signed in or not:
    those 公示中 whose 公示 period has begun (`Application.objects.publicised()`); nothing else."""
    return (
        applications.publicised()
        .filter(decision__publicity_starts__lte=today)
        .select_related("call", "organisation", "lead_region", "decision")
    )


def objections_for(user, objections):
    """Of `objections` (Objection.objects), those a user may read: every one for the 自治区, none for anyone
    else — not the applicant, its 盟市 nor an expert (who sent one is the 自治区's to know)."""
    if not may_decide(user):
        return objections.none()
    return objections.select_related("application", "answered_by")


def may_read_establishment_notice(user, application) -> bool:
    """A 立项通知: the 自治区, and the applicant it is addressed to, once the application is 已立项."""
    if not application.is_approved:
        return False
    return may_decide(user) or is_applicant_of(user, application)


# --- 专家库 and 随机抽取 (reviews/pool.py, reviews/draws.py) ---


def may_manage_expert_pool(user) -> bool:
    """The 专家库 — adding, editing, pausing, importing and exporting experts — and the draws made from it:
    the 自治区工信厅 only (PRODUCT.md §5: a pool kept by the 自治区)."""
    return has_role(user, Role.DEPARTMENT)


def expert_pool_for(user):
    """The expert accounts of the 专家库, for the 自治区工信厅; none for anyone else."""
    if not may_manage_expert_pool(user):
        return User.objects.none()
    return User.objects.filter(role=Role.EXPERT).select_related("region", "expert_profile")


def draws_for(user, draws):
    """Of `draws` (ExpertDraw.objects), the draws a user may see: all of them for the 自治区工信厅; for an
    expert, the 评审组 it leads (组长), whose combined scores and opinions it reads — never the record."""
    if may_manage_expert_pool(user):
        return draws.all()
    if has_role(user, Role.EXPERT):
        return draws.filter(leader=user)
    return draws.none()

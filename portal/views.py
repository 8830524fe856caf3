"""The home page of each role, the public landing page, and friendly error pages."""

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from accounts import scoping
from accounts.middleware import is_background_request
from accounts.models import Organisation, Role
from applications.models import Status
from calls.models import Call
from reviews.inbox import deadline_rows, waiting_first, with_waiting
from reviews.views import expert as expert_pages

# How many of the longest-waiting applications an official's home page lists; the inbox has the rest.
HOME_LIST_LENGTH = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html", {"calls": Call.objects.published()})
    return _role_home(request)


def _role_home(request):
    user = request.user
    template = f"portal/home_{user.role}.html"
    context = {"now": timezone.now()}
    if user.role == Role.APPLICANT:
        context.update(
            organisation=user.organisation,
            may_apply=scoping.may_apply(user),
            may_edit_registration=scoping.may_edit_registration(user, user.organisation),
            calls=Call.objects.published(),
            applications={a.call_id: a for a in scoping.applications_for(user)},
        )
    elif user.role == Role.BUREAU:
        organisations = scoping.organisations_for(user)
        to_review = waiting_first(scoping.led_applications(user).filter(status=Status.SUBMITTED))
        context.update(
            pending=organisations.filter(status=Organisation.Status.PENDING).order_by("created_at"),
            approved_count=organisations.filter(status=Organisation.Status.APPROVED).count(),
            review_count=to_review.count(),
            review_waiting=with_waiting(to_review[:HOME_LIST_LENGTH]),
            deadlines=deadline_rows(user),
        )
    elif user.role == Role.DEPARTMENT:
        submitted = scoping.applications_for(user)
        to_accept = waiting_first(submitted.filter(status=Status.RECOMMENDED))
        context.update(
            calls=Call.objects.published(),
            accept_count=to_accept.count(),
            accept_waiting=with_waiting(to_accept[:HOME_LIST_LENGTH]),
            scoring_count=submitted.filter(status=Status.UNDER_REVIEW).count(),
            decide_count=submitted.filter(status=Status.AWAITING_DECISION).count(),
            publicising_count=submitted.filter(status=Status.PUBLICISING).count(),
        )
    elif user.role == Role.EXPERT:
        context.update(expert_pages.home_context(user))
    elif user.role == Role.SYSTEM_ADMIN:
        accounts = scoping.accounts_for(user)
        context.update(
            account_count=accounts.count(),
            inactive_count=accounts.filter(is_active=False).count(),
            pending_count=scoping.organisations_for(user).filter(status=Organisation.Status.PENDING).count(),
        )
    elif user.role == Role.SECURITY_ADMIN and scoping.may_view_security_policy(user):
        context.update(policy=_security_policy())
    elif user.role == Role.AUDIT_ADMIN and scoping.may_read_login_log(user):
        context.update(
            logins=AccessLog.objects.order_by("-attempt_time")[:50],
            failures=AccessFailureLog.objects.order_by("-attempt_time")[:50],
        )
    return render(request, template, context)


def _security_policy():
    return [
        ("密码最小长度", "8 位"),
        ("密码复杂度", "大写字母、小写字母、数字、特殊符号中至少 3 类"),
        ("密码存储", "Argon2 加盐哈希"),
        ("登录失败锁定", f"连续 {settings.AXES_FAILURE_LIMIT} 次失败锁定账号"),
        ("锁定时长", f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟"),
        ("会话空闲超时", f"{int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)} 分钟"),
        ("管理员创建的账号", "首次登录须修改初始密码"),
        ("密码有效期", f"{settings.SHENBAO_PASSWORD_MAX_AGE_DAYS} 天，到期须修改密码后方可继续使用"),
        ("密码历史", f"新密码不能与最近 {settings.SHENBAO_PASSWORD_HISTORY} 次使用过的密码相同"),
    ]


def csrf_failure(request, reason=""):
    if is_background_request(request):
        return JsonResponse({"message": "页面已过期（安全校验失败），修改已暂存在本机，请刷新页面后继续。"}, status=403)
    return render(request, "errors/csrf.html", status=403)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: whatever broke (the database, a context processor) must not break this page.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())

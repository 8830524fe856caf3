"""The home page of each role, the public landing page, friendly error pages, and the health check."""

import sys

from axes.models import AccessFailureLog, AccessLog
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts import scoping
from accounts.middleware import is_background_request
from accounts.models import Organisation, Role
from applications.models import Application, Status
from audit import refusals
from calls.models import Call
from documents.models import OfficialDocument
from portal import errors
from reviews.inbox import deadline_rows, waiting_first, with_waiting
from reviews.views import expert as expert_pages

# How many of the longest-waiting applications an official's home page lists; the inbox has the rest.
HOME_LIST_LENGTH = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html", {"calls": Call.objects.published()})
    return _role_home(request)


@require_safe
@never_cache
def health(request):
    """For a load balancer's health check: the process answers requests. Reads no session, user or
    database row, so an anonymous check costs nothing but Django itself (bench/autosave_load.py uses
    it as the ceiling an application view is measured against)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


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
            applications={a.call_id: a for a in Application.objects.visible_to(user)},
        )
    elif user.role == Role.BUREAU:
        organisations = scoping.organisations_for(user)
        led = scoping.led_applications(user, Application.objects)
        to_review = waiting_first(led.filter(status=Status.SUBMITTED))
        context.update(
            pending=organisations.filter(status=Organisation.Status.PENDING).order_by("created_at"),
            approved_count=organisations.filter(status=Organisation.Status.APPROVED).count(),
            review_count=to_review.count(),
            review_waiting=with_waiting(to_review[:HOME_LIST_LENGTH]),
            deadlines=deadline_rows(user),
        )
    elif user.role == Role.DEPARTMENT:
        submitted = Application.objects.visible_to(user)
        failed = scoping.failed_official_documents_for(user, OfficialDocument.objects)
        to_accept = waiting_first(submitted.filter(status=Status.RECOMMENDED))
        context.update(
            calls=Call.objects.published(),
            accept_count=to_accept.count(),
            accept_waiting=with_waiting(to_accept[:HOME_LIST_LENGTH]),
            scoring_count=submitted.filter(status=Status.UNDER_REVIEW).count(),
            decide_count=submitted.filter(status=Status.AWAITING_DECISION).count(),
            publicising_count=submitted.filter(status=Status.PUBLICISING).count(),
            official_failures=failed[:HOME_LIST_LENGTH],
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
    elif user.role == Role.SECURITY_ADMIN and scoping.may_manage_security_policy(user):
        context.update(policy=_security_policy())
    elif user.role == Role.AUDIT_ADMIN and scoping.may_read_login_log(user):
        context.update(
            logins=AccessLog.objects.order_by("-attempt_time")[:50],
            failures=AccessFailureLog.objects.order_by("-attempt_time")[:50],
        )
    return render(request, template, context)


def _security_policy():
    from security.policy import current

    policy = current()
    return [
        ("密码最小长度", "8 位"),
        ("密码复杂度", "大写字母、小写字母、数字、特殊符号中至少 3 类"),
        ("密码存储", "Argon2 加盐哈希"),
        ("登录失败锁定", f"连续 {policy.login_failure_limit} 次失败锁定账号"),
        ("锁定时长", f"{policy.lockout_minutes} 分钟"),
        ("会话空闲超时", f"{policy.idle_timeout_minutes} 分钟"),
        ("管理员创建的账号", "首次登录须修改初始密码"),
        ("密码有效期", f"{policy.password_max_age_days} 天，到期须修改密码后方可继续使用"),
        ("密码历史", f"新密码不能与最近 {policy.password_history} 次使用过的密码相同"),
        ("附件大小上限", f"每个附件不超过 {policy.upload_max_mb} MB"),
    ]


def csrf_failure(request, reason=""):
    refusals.csrf_refused(request, reason)  # an audit entry, with Django's reason as a code
    if is_background_request(request):
        return JsonResponse({"message": "页面已过期（安全校验失败），修改已暂存在本机，请刷新页面后继续。"}, status=403)
    return render(request, "errors/csrf.html", status=403)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def bad_request(request, exception=None):
    if is_background_request(request):
        return JsonResponse({"message": "请求格式不正确或内容过大，未作任何修改。请刷新页面后重试。"}, status=400)
    # May come before the authentication middleware has run: a page that needs no request context.
    return HttpResponseBadRequest(loader.get_template("errors/400.html").render())


def server_error(request):
    # Called while the exception is being handled, so sys.exc_info() is the error to log.
    reference = errors.log_server_error(request, sys.exc_info())
    if request is not None and is_background_request(request):
        message = f"服务器处理请求时出现问题，本次修改未保存。请稍后重试；联系管理员时请提供编号 {reference}。"
        response = JsonResponse({"message": message, "reference": reference}, status=500)
    else:
        # No request context: whatever broke (the database, a context processor) must not break this page.
        response = HttpResponseServerError(loader.get_template("errors/500.html").render({"reference": reference}))
    response["X-Error-Reference"] = reference
    return response

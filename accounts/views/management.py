"""The 系统管理员's account pages: list, create, and reset, unlock, enable or disable."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import administration, scoping, two_factor
from accounts.forms import StaffAccountForm
from accounts.models import STAFF_ROLES, Role
from audit import refusals


@scoping.require_role(Role.SYSTEM_ADMIN)
def account_list(request):
    accounts = scoping.accounts_for(request.user)
    role = request.GET.get("role", "")
    query = request.GET.get("q", "").strip()
    if role in Role.values:
        accounts = accounts.filter(role=role)
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(organisation__name__icontains=query)
        )
    page = Paginator(accounts, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {"page": page, "role": role, "roles": Role.choices, "q": query},
    )


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def account_create(request):
    if not scoping.may_create_accounts(request.user):
        raise PermissionDenied
    form = StaffAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user, sent_to = administration.create_staff_account(form, request.user)
        except administration.AdministrationRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, detail={"step": "create_account"})
            form.add_error("mobile", str(exc))
        else:
            return render(request, "accounts/account_password.html", {"account": user, "sent_to": sent_to, "new": True})
    return render(request, "accounts/account_form.html", {"form": form})


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def account_detail(request, pk):
    account = scoping.get_visible_or_404(scoping.accounts_for(request.user), pk=pk)
    form = _account_form(request, account, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise refusals.Forbidden(
                "三员分立：系统管理员不能修改管理员账号；申报单位信息由其本单位维护。", obj=account
            )
        if form.is_valid():
            administration.update_staff_account(form, request.user)
            messages.success(request, "账号信息已保存。")
            return redirect("accounts:account_detail", pk=account.pk)
    return _render_detail(request, account, form)


def _account_form(request, account, data=None):
    editable = scoping.may_manage_account(request.user, account) and account.role in STAFF_ROLES
    return StaffAccountForm(data, instance=account) if editable else None


def _render_detail(request, account, form=None, contact_error=""):
    context = {
        "account": account,
        "form": form,
        "may_manage": scoping.may_manage_account(request.user, account),
        "otp_enrolled": two_factor.is_enrolled(account),
        "contact_error": contact_error,
    }
    return render(request, "accounts/account_detail.html", context, status=400 if contact_error else 200)


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_POST
def account_action(request, pk, action):
    account = scoping.get_visible_or_404(scoping.accounts_for(request.user), pk=pk)
    if not scoping.may_manage_account(request.user, account):
        raise refusals.Forbidden("三员分立：系统管理员不能操作管理员账号。", obj=account)
    if action == "reset-password":
        try:
            sent_to = administration.reset_password(account, request.user)
        except administration.AdministrationRefused as exc:
            refusals.refused(request, refusals.WORKFLOW, obj=account, detail={"step": "reset_password"})
            return _render_detail(request, account, _account_form(request, account), contact_error=str(exc))
        return render(request, "accounts/account_password.html", {"account": account, "sent_to": sent_to})
    if action == "unlock":
        administration.unlock_account(account, request.user)
        messages.success(request, f"账号 {account.username} 已解锁。")
    elif action in ("disable", "enable"):
        administration.set_active(account, action == "enable", request.user)
        messages.success(request, f"账号 {account.username} 已{'启用' if action == 'enable' else '停用'}。")
    elif action == "reset-2fa":
        two_factor.reset(request, account)
        messages.success(request, f"账号 {account.username} 的动态口令已重置，本人下次登录时须重新绑定。")
    else:
        raise PermissionDenied
    return redirect("accounts:account_detail", pk=account.pk)


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_POST
def organisation_accounts(request, pk, action):
    """停用 or 启用 every account of a 申报单位 (its application content is never shown here)."""
    organisation = scoping.get_visible_or_404(scoping.organisations_for(request.user), pk=pk)
    if action not in ("disable", "enable"):
        raise Http404("没有这个操作。")
    try:
        changed = administration.set_organisation_active(
            organisation, action == "enable", request.user, request.POST.get("reason", "")
        )
    except administration.AdministrationRefused as exc:
        refusals.refused(request, refusals.WORKFLOW, obj=organisation, detail={"step": f"organisation_{action}"})
        messages.error(request, str(exc))
    else:
        verb = "启用" if action == "enable" else "停用"
        messages.success(request, f"“{organisation.name}”的 {changed} 个账号已{verb}。")
    return redirect("accounts:organisation_detail", pk=organisation.pk)

"""The 安全管理员's page (mounted at /security/, URL name security:policy): the security policy in force,
and the form that changes it. Here in accounts, above the policy that accounts' own login rules read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import scoping
from security import policy
from security.forms import SecurityPolicyForm


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request):
    if not scoping.may_manage_security_policy(request.user):
        raise PermissionDenied("三员分立：安全策略只能由安全管理员查看和设置。")
    form = SecurityPolicyForm(request.POST or None, instance=policy.editable())
    if request.method == "POST" and form.is_valid():
        changes = policy.change(form, request.user)
        messages.success(request, "安全策略已保存，立即生效。" if changes else "安全策略没有变化。")
        return redirect("security:policy")
    return render(request, "security/policy.html", {"form": form, "policy": policy.current()})

"""Public pages of a call (its guide, readable before registering), and the 系统管理员's pages that
publish a call and set its 申报 window."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import administration, scoping
from accounts.models import Role
from calls.forms import CallWindowForm
from calls.models import Call


def guide(request, code):
    call = get_object_or_404(Call.objects.published(), code=code)
    return render(request, "calls/guide.html", {"call": call})


@scoping.require_role(Role.SYSTEM_ADMIN)
def manage_list(request):
    calls = scoping.calls_for_management(request.user)
    return render(request, "calls/manage_list.html", {"calls": calls})


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def manage_call(request, code):
    call = get_object_or_404(scoping.calls_for_management(request.user), code=code)
    form = CallWindowForm(request.POST if request.method == "POST" else None, instance=call)
    if request.method == "POST" and form.is_valid():
        administration.update_call(form, request.user)
        messages.success(request, f"“{call.name}”的发布状态和申报时间已保存。")
        return redirect("calls:manage_list")
    return render(request, "calls/manage_call.html", {"call": call, "form": form})

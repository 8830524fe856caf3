"""Registration of a 申报单位, and its review by the 盟市工信局."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import registration, scoping
from accounts.forms import OrganisationForm, RegistrationForm, RegistrationReviewForm
from accounts.models import Organisation, Role


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = registration.register_organisation(form)
        login(request, user, backend="security.backends.ShenbaoModelBackend")
        bureau = user.organisation.region.bureau_name  # type: ignore[union-attr]  # an applicant always has one
        messages.success(request, f"注册成功。请等待{bureau}审核，审核通过后即可在线申报。")
        return redirect("portal:home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_registration(request):
    organisation = get_object_or_404(scoping.organisations_for(request.user), pk=request.user.organisation_id)
    if not scoping.may_edit_registration(request.user, organisation):
        raise PermissionDenied("注册信息已审核通过，如需变更请联系所属盟市工业和信息化局。")
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        registration.update_registration(form)
        messages.success(request, f"注册信息已保存并重新提交{organisation.region.bureau_name}审核。")
        return redirect("portal:home")
    return render(request, "accounts/edit_registration.html", {"form": form, "organisation": organisation})


@scoping.require_role(Role.BUREAU, Role.DEPARTMENT, Role.SYSTEM_ADMIN)
def organisation_list(request):
    status = request.GET.get("status", "")
    organisations = scoping.organisations_for(request.user)
    query = request.GET.get("q", "").strip()
    if status in Organisation.Status.values:
        organisations = organisations.filter(status=status)
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations, "status": status, "statuses": Organisation.Status.choices, "q": query},
    )


@scoping.require_role(Role.BUREAU, Role.DEPARTMENT, Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk):
    organisation = get_object_or_404(scoping.organisations_for(request.user), pk=pk)
    may_review = scoping.may_review_registration(request.user, organisation)
    form = RegistrationReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied("该注册申请不在您的审核范围内，或已审核。")
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            registration.review_registration(
                organisation, request.user, approve=approve, reason=form.cleaned_data["reason"]
            )
            verdict = "已通过" if approve else "未通过"
            messages.success(request, f"“{organisation.name}”的注册审核{verdict}。")
            return redirect("accounts:organisation_list")
    may_manage = scoping.may_manage_organisation(request.user, organisation)
    context = {"organisation": organisation, "form": form, "may_review": may_review, "may_manage": may_manage}
    if may_manage:
        context["accounts"] = scoping.accounts_for(request.user).filter(organisation=organisation)
    return render(request, "accounts/organisation_detail.html", context)

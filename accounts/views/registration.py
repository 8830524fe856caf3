"""Registration of a 申报单位, and its review by the 盟市工信局."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import registration, scoping
from accounts.forms import OrganisationForm, RegistrationForm, RegistrationReviewForm
from accounts.models import Organisation, Role
from audit.log import client_ip, record
from audit.models import Result
from regions import registration_authority
from regions.models import Region
from shenbao.lib.throttle import Throttle

# What each registration throttle counts, as the audit entry of a refusal names it.
COUNTED = {"register-post": "每小时提交注册表单次数", "register-account": "每小时注册成功次数"}


def registration_throttles():
    """Per address and hour: forms posted, and accounts made (settings; docs/security.md, 注册与登录)."""
    hour = timedelta(hours=1)
    return (
        Throttle("register-post", settings.SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR, hour, doing="注册"),
        Throttle("register-account", settings.SHENBAO_REGISTRATIONS_PER_HOUR, hour, doing="注册"),
    )


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    if request.method != "POST":
        return render(request, "accounts/register.html", {"form": RegistrationForm()})
    posts, accounts = registration_throttles()
    address = client_ip(request)
    throttle, decision = posts, posts.hit(address)  # every form posted counts, whatever comes of it
    if decision:
        throttle, decision = accounts, accounts.check(address)  # accounts made count once made (below)
    if not decision:
        return _throttled(request, throttle, address, decision)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            user = registration.register_organisation(form)
        except IntegrityError:  # a simultaneous request registered the same code first
            form.refuse_taken_code(form.cleaned_data["credit_code"])
        else:
            accounts.hit(address)
            login(request, user, backend="security.backends.ShenbaoModelBackend")
            bureau = user.organisation.region.bureau_name  # type: ignore[union-attr]  # an applicant always has one
            messages.success(request, f"注册成功。请等待{bureau}审核，审核通过后即可在线申报。")
            return redirect("portal:home")
    if form.taken_code:
        _record_taken_code(request, form)
    return render(request, "accounts/register.html", {"form": form})


def _throttled(request, throttle, address, decision):
    """429 with the form as it was typed (passwords excepted) and when to try again; the first refusal of
    the address's window is audited, the repeats are not (a flood must not flood the log)."""
    if throttle.first_refusal(address, decision):
        record(
            "registration_throttled",
            request=request,
            result=Result.REFUSED,
            detail={
                "limit": decision.limit,
                "counted": COUNTED[throttle.scope],
                "retry_at": decision.retry_at,
                "reason": decision.message,
            },
        )
    typed = {
        name: request.POST.get(name, "")
        for name in RegistrationForm.base_fields
        if name not in ("password1", "password2")
    }
    form = RegistrationForm(initial=typed)  # unbound: shown as typed, not checked (checking would answer)
    response = render(request, "accounts/register.html", {"form": form, "throttled": decision.message}, status=429)
    response["Retry-After"] = str(max(1, int((decision.retry_at - timezone.now()).total_seconds())))
    return response


def _record_taken_code(request, form):
    """An attempt to register a code that is taken: for the 盟市 and the 审计管理员, who may need to know
    that someone tried to register an organisation that already has an account."""
    code = form.taken_code
    existing = Organisation.objects.filter(credit_code=code).select_related("region").first()
    record(
        "registration_refused",
        request=request,
        obj=existing,
        object_type="organisation",
        object_id="" if existing else code,
        result=Result.REFUSED,
        detail={
            "reason": "统一社会信用代码已被占用",
            "credit_code": code,
            "region": form.cleaned_data["region"].code,
            "registered_region": existing.region.code if existing else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_registration(request):
    organisation = scoping.get_visible_or_404(scoping.organisations_for(request.user), pk=request.user.organisation_id)
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
    regions = list(Region.objects.all())
    organisations = list(organisations)
    for organisation in organisations:  # a warning to check, never a refusal (regions/registration_authority.py)
        organisation.authority_warning = registration_authority.mismatch(
            organisation.credit_code, organisation.region, regions
        )
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations, "status": status, "statuses": Organisation.Status.choices, "q": query},
    )


@scoping.require_role(Role.BUREAU, Role.DEPARTMENT, Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk):
    organisation = scoping.get_visible_or_404(scoping.organisations_for(request.user), pk=pk)
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
    context = {
        "organisation": organisation,
        "form": form,
        "may_review": may_review,
        "may_manage": may_manage,
        # Registered outside the chosen 盟市: a warning for the reviewer to check, never a refusal.
        "authority_warning": registration_authority.mismatch(organisation.credit_code, organisation.region),
    }
    if may_manage:
        context["accounts"] = scoping.accounts_for(request.user).filter(organisation=organisation)
    return render(request, "accounts/organisation_detail.html", context)

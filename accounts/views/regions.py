"""The list of 盟市 and recommending units, with how many 申报单位 each has registered, and the
系统管理员's page to correct a 盟市's names (mounted at /regions/, URL names regions:*). Here in accounts:
the counts are of organisations, and regions is reference data below accounts."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import administration, scoping
from accounts.models import Organisation, Role
from regions.forms import RegionForm
from regions.models import Region


@scoping.require_role(Role.SYSTEM_ADMIN, Role.DEPARTMENT)
def region_list(request):
    visible = scoping.organisations_for(request.user)
    regions = Region.objects.select_related("parent").annotate(
        pending=Count("organisations", filter=Q(organisations__in=visible, organisations__status="pending")),
        approved=Count("organisations", filter=Q(organisations__in=visible, organisations__status="approved")),
        rejected=Count("organisations", filter=Q(organisations__in=visible, organisations__status="rejected")),
    )
    may_edit = scoping.may_manage_regions(request.user)
    context = {"regions": regions, "statuses": Organisation.Status, "may_edit": may_edit}
    return render(request, "regions/region_list.html", context)


@scoping.require_role(Role.SYSTEM_ADMIN)
@require_http_methods(["GET", "POST"])
def region_edit(request, pk):
    region = scoping.get_visible_or_404(scoping.regions_for_management(request.user), pk=pk)
    form = RegionForm(request.POST if request.method == "POST" else None, instance=region)
    if request.method == "POST" and form.is_valid():
        administration.update_region(form, request.user)
        messages.success(request, f"{region.name}的信息已保存。")
        return redirect("regions:list")
    return render(request, "regions/region_form.html", {"region": region, "form": form})

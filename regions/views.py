"""The list of 盟市 and recommending units, with how many 申报单位 each has registered."""

from django.db.models import Count, Q
from django.shortcuts import render

from accounts import scoping
from accounts.models import Organisation, Role
from regions.models import Region


@scoping.require_role(Role.SYSTEM_ADMIN, Role.DEPARTMENT)
def region_list(request):
    visible = scoping.organisations_for(request.user)
    regions = Region.objects.select_related("parent").annotate(
        pending=Count("organisations", filter=Q(organisations__in=visible, organisations__status="pending")),
        approved=Count("organisations", filter=Q(organisations__in=visible, organisations__status="approved")),
        rejected=Count("organisations", filter=Q(organisations__in=visible, organisations__status="rejected")),
    )
    return render(request, "regions/region_list.html", {"regions": regions, "statuses": Organisation.Status})

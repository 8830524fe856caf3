"""The filters of the officials' lists (汇总表, 推荐清单): validated forms, never raw query parameters."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F

from accounts.models import Role
from accounts.scoping import has_role
from applications.models import Status
from calls.models import Call
from regions.models import Region
from shenbao.lib.forms import ChineseFieldMessagesMixin

# Officials never see drafts (accounts.scoping), so a draft is not offered as a filter.
OFFICIAL_STATUSES = [(status.value, status.label) for status in Status.official()]


def latest_call():
    # NULLS LAST spelled out: PostgreSQL and SQLite disagree on where a call without dates sorts.
    newest = F("applicant_opens_at").desc(nulls_last=True)
    return Call.objects.published().order_by("-year", newest, "code").first()


def with_default_call(params):
    """The query parameters, with the latest published call chosen when none was."""
    if params.get("call"):
        return params
    params = params.copy()
    call = latest_call()
    params["call"] = str(call.pk) if call else ""
    return params


class CallForm(ChineseFieldMessagesMixin, forms.Form):
    call = forms.ModelChoiceField(Call.objects.published(), label="申报批次", empty_label=None)


class SummaryFilterForm(CallForm):
    region = forms.ModelChoiceField(Region.objects.all(), label="牵头盟市", required=False, empty_label="全部")
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *OFFICIAL_STATUSES])
    name = forms.CharField(label="名称", required=False, max_length=60)

    def __init__(self, data, user):
        super().__init__(data)
        self.user = user
        if not has_role(user, Role.DEPARTMENT):
            del self.fields["region"]  # a 盟市工信局 sees its own 盟市 only
        try:  # the name is searched as the chosen call calls it: 集群名称, 项目名称
            self.fields["name"].label = self.fields["call"].clean(self["call"].data).schema.title_label
        except ValidationError:
            pass

    def filter(self, applications):
        """`applications` (already scoped to the user) narrowed to the chosen call, 盟市, status and name."""
        chosen = self.cleaned_data
        applications = applications.filter(call=chosen["call"])
        if chosen.get("region"):
            applications = applications.filter(lead_region=chosen["region"])
        if chosen["status"]:
            applications = applications.filter(status=chosen["status"])
        if chosen["name"]:
            # The name in the latest submitted version — the one the table shows — never a returned
            # application's draft, which officials may not read (its indexed copy, dashboards.models).
            applications = applications.filter(submitted_figures__title__icontains=chosen["name"])
        return applications

    def description(self):
        """The filters in words, printed under the title of the exported table."""
        chosen = self.cleaned_data
        if has_role(self.user, Role.DEPARTMENT):
            region = chosen["region"].name if chosen.get("region") else "全部"
        else:
            region = self.user.region.name
        parts = [f"批次：{chosen['call'].name}", f"牵头盟市：{region}"]
        parts.append(f"状态：{Status(chosen['status']).label if chosen['status'] else '全部'}")
        if chosen["name"]:
            parts.append(f"{self.fields['name'].label}含“{chosen['name']}”")
        return "；".join(parts)

"""The dashboards' filters and table sorting: a validated form, never raw query parameters."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.scoping import has_role
from applications.models import Status
from calls.models import Call
from dashboards.figure_queries import counted, of_category
from dashboards.figures import cell_names, stat_figures
from dashboards.groups import FIXED_COLUMNS, heading_of
from documents.filters import OFFICIAL_STATUSES
from regions.models import Region
from shenbao.lib.forms import ChineseFieldMessagesMixin

DIRECTIONS = [("asc", "升序"), ("desc", "降序")]


class DashboardFilterForm(ChineseFieldMessagesMixin, forms.Form):
    call = forms.ModelChoiceField(Call.objects.published(), label="申报批次", empty_label=None)
    region = forms.ModelChoiceField(Region.objects.all(), label="牵头盟市", required=False, empty_label="全部")
    # The choices of the field the call's schema marks as its `category` (主导产业所属产业类型), if any.
    category = forms.ChoiceField(label="分类", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *OFFICIAL_STATUSES])
    sort = forms.ChoiceField(label="排序列", required=False, widget=forms.HiddenInput)
    dir = forms.ChoiceField(label="排序方向", required=False, choices=DIRECTIONS, widget=forms.HiddenInput)

    FILTERS = ("call", "region", "category", "status")

    def __init__(self, data, user):
        super().__init__(data)
        self.user = user
        if not has_role(user, Role.DEPARTMENT):
            del self.fields["region"]  # a 盟市工信局 sees its own scope, never another 盟市's
        # The call the parameters name, read as the field itself will read it: its schema shapes the other fields.
        try:
            call = self.fields["call"].clean(self["call"].data)
        except ValidationError:
            call = None
        schema = call.schema if call else None
        category = schema.role("category") if schema else None
        if category:
            self.fields["category"].label = category.label
            self.fields["category"].choices = [("", "全部"), *category.choices]
        else:
            del self.fields["category"]
        cells = [name for figure in stat_figures(schema) for name in cell_names(schema, figure)] if schema else []
        fixed = [(column.key, heading_of(column, schema) if schema else column.heading) for column in FIXED_COLUMNS]
        self.fields["sort"].choices = [("", "默认"), *fixed, *((name, name) for name in cells)]

    @property
    def schema(self):
        return self.cleaned_data["call"].schema

    def filter(self, applications):
        """`applications` (already scoped to the user) narrowed to the chosen call, 盟市, type and state.

        Only what the dashboards count (dashboards.figure_queries.counted): never a draft, never figures
        nobody submitted.
        """
        chosen = self.cleaned_data
        applications = counted(applications.filter(call=chosen["call"]))
        if chosen.get("region"):
            applications = applications.filter(lead_region=chosen["region"])
        if chosen["status"]:
            applications = applications.filter(status=chosen["status"])
        if chosen.get("category"):
            applications = of_category(applications, chosen["category"])
        return applications

    def sorting(self):
        """(column, descending): the default is the 申报编号 order, ascending."""
        return self.cleaned_data["sort"] or "number", self.cleaned_data["dir"] == "desc"

    def filters_query(self):
        """The chosen filters as query parameters, for sort links, pages and downloads."""
        return {name: self.data.get(name) for name in self.FILTERS if name in self.fields and self.data.get(name)}

    def description(self):
        """The filters in words, printed under the title of a downloaded table."""
        chosen = self.cleaned_data
        if has_role(self.user, Role.DEPARTMENT):
            region = chosen["region"].name if chosen.get("region") else "全部"
        else:
            region = f"{self.user.region.name}牵头或参与"
        parts = [f"批次：{chosen['call'].name}", f"盟市：{region}"]
        if "category" in self.fields:
            choices = dict(self.fields["category"].choices)
            parts.append(f"{self.fields['category'].label}：{choices.get(chosen['category']) or '全部'}")
        parts.append(f"状态：{Status(chosen['status']).label if chosen['status'] else '全部'}")
        return "；".join(parts)

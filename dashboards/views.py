"""统计分析: the 自治区's dashboard over every 盟市, a 盟市工信局's over what it leads or takes part in."""

import io
import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application
from dashboards import groups, panels
from dashboards.figures import figure_table
from dashboards.forms import DashboardFilterForm
from dashboards.overview import call_overview
from dashboards.xlsx import table_xlsx
from documents.filters import with_default_call
from regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
logger = logging.getLogger(__name__)
official_only = scoping.require_role(Role.DEPARTMENT, Role.BUREAU)


class RefreshAfterResponse(HttpResponse):
    """A page that runs `refresh` once it has been sent: the WSGI server calls close() after the last byte
    (gunicorn, runserver and the test client alike), before the request's end is signalled."""

    def __init__(self, content, refresh):
        super().__init__(content)
        self.refresh = refresh

    def close(self):
        try:
            self.refresh()
        except Exception:
            # The page was already sent; the next view computes what this could not.
            logger.exception("refreshing the dashboard's figures after the response failed")
        finally:
            super().close()


def _heading(user):
    """The page's title and whose applications it covers, in words."""
    if scoping.has_role(user, Role.DEPARTMENT):
        return {"title": "统计分析", "scope": "各盟市推荐和报送的"}
    return {"title": f"{user.region.name} 统计分析", "scope": "本盟市牵头或参与的"}


def _form(request):
    return DashboardFilterForm(with_default_call(request.GET), request.user)


def _applications(request, form):
    """What the dashboard counts: the user's scope (accounts.scoping), narrowed by the chosen filters."""
    return form.filter(Application.objects.visible_to(request.user))


def _overview(request, form, applications):
    # The 自治区, over every 盟市, sees each 盟市 listed even with no application yet.
    every_region = scoping.has_role(request.user, Role.DEPARTMENT) and not form.cleaned_data.get("region")
    return call_overview(applications, regions=Region.objects.all() if every_region else None)


def _invalid(request, form, status=400):
    context = {"form": form, **_heading(request.user), "has_calls": form.fields["call"].queryset.exists()}
    return render(request, "dashboards/index.html", context, status=status)


@login_required
@official_only
def index(request):
    form = _form(request)
    if not form.is_valid():
        # The page still opens, saying what is wrong (no published call yet, a stale link); a file does not.
        return _invalid(request, form, status=200)
    applications = _applications(request, form)
    overview = _overview(request, form, applications)
    table = figure_table(applications, form.schema, stale_ok=True)
    sort, descending = form.sorting()
    query = form.filters_query()
    context = {
        "form": form,
        **_heading(request.user),
        "description": form.description(),
        "subject": form.schema.subject,
        "overview": overview,
        "status_chart": panels.status_chart(overview, query),
        "region_chart": panels.region_chart(overview, query),
        # Who scored, recused or was excluded is the 自治区's to know (experts are anonymous to a 盟市).
        "scoring_items": panels.scoring_items(overview.scoring) if scoping.may_manage_experts(request.user) else None,
        "downloads": panels.overview_downloads(query),
        "groups": groups.figure_groups(table, sort, descending, request.GET.get("page"), query),
    }
    if not table.stale:
        return render(request, "dashboards/index.html", context)
    # After a submission or a review step the figures shown are the scope's last computed ones, with
    # their time; they are computed afresh once this page has been sent, for the next view.
    context["figures_as_of"] = table.computed_at
    return RefreshAfterResponse(render_to_string("dashboards/index.html", context, request), table.refresh)


@login_required
@official_only
def download(request, slug):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    applications = _applications(request, form)
    if slug == "scoring" and not scoping.may_manage_experts(request.user):
        raise Http404("没有这张统计表。")
    if slug in panels.OVERVIEW_SHEETS:
        sheet = panels.OVERVIEW_SHEETS[slug](_overview(request, form, applications))
    else:
        sort, descending = form.sorting()
        sheet = groups.figure_sheet(figure_table(applications, form.schema), slug, sort, descending)
    if sheet is None:
        raise Http404("没有这张统计表。")
    user = request.user
    title = sheet.title if scoping.has_role(user, Role.DEPARTMENT) else f"{user.region.name}{sheet.title}"
    content = table_xlsx(title, sheet.headings, sheet.rows, note=form.description())
    # A unit such as 吨/万元 must not put a path separator in the file name.
    filename = f"{title}-{timezone.localtime().strftime('%Y%m%d')}.xlsx".replace("/", "／")
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)

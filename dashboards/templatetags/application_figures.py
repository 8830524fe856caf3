"""`{% application_figures application version as figures %}`: one application's own figures (its trends and
its standing in the call, dashboards/application_figures.py) for the review pages that show them.

A tag rather than an import in the review views: reviews sits below dashboards (docs/architecture.md), and
the project's templates compose pages from the apps' tags, as they do with documents' `{% official_panel %}`.
"""

from django import template

from dashboards.application_figures import figures_for

register = template.Library()


@register.simple_tag
def application_figures(application, version):
    """The figures read from `version` (a submitted Version of `application`), or None without a version."""
    return figures_for(application, version) if version else None

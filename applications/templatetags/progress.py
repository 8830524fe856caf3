"""`{% progress_of application as progress %}`: the stage tracker of an application (applications/progress.py),
for templates/includes/stage_tracker.html on pages whose view did not compute it."""

from django import template

from applications.progress import progress_of as compute

register = template.Library()


@register.simple_tag
def progress_of(application):
    return compute(application)

"""`{{ entry|refusal_summary }}`: what kind of refusal an audit entry records, and where, for the list."""

from django import template

from audit import refusals

register = template.Library()


@register.filter
def refusal_summary(entry):
    """For an access_refused entry, e.g. “越权访问（对象不在权限范围内） · GET /applications/7/”; "" for any other."""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    if entry.action != refusals.ACTION or "refusal" not in detail:
        return ""
    return f"{refusals.kind_label(detail['refusal'])} · {detail.get('method', '')} {detail.get('path', '')}".strip()

"""Template tags for the official PDFs of submitted versions (documents/official.py).

`{% official_documents version as pdfs %}` then `pdfs.report.ready` / `pdfs.report.label`: a link once
the file is stored, "正在生成…" until then — one query per version, none per link. Before a loop over
versions, `{% official_prefetch versions %}` loads them all in one query. `{% official_panel version %}`
is the 自治区's table of statuses, hashes and errors with 重新生成 (nothing for anyone else).
"""

from django import template

from accounts import scoping
from documents import official
from documents.rendering import TITLES

register = template.Library()


@register.filter
def document_title(kind):
    """report → 申请报告, performance → 绩效目标表."""
    return TITLES.get(kind, kind)


@register.simple_tag
def official_documents(version):
    return official.status_for(version)


@register.simple_tag
def official_prefetch(versions):
    official.prefetch(versions)
    return ""


@register.inclusion_tag("documents/includes/official_panel.html", takes_context=True)
def official_panel(context, version):
    user = context["request"].user
    if version is None or not scoping.may_regenerate_official_document(user, version.application):
        return {"show": False}
    return {"show": True, "version": version, "rows": list(official.status_for(version).values())}

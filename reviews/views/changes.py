"""修改对比: what the applicant changed between two submitted versions, for the officials reviewing it."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import scoping
from applications import reads
from reviews import diff
from reviews.views import application_for

VERSION_NUMBER = re.compile(r"[0-9]{1,6}")


@require_GET
@login_required
def changes(request, pk):
    """第 M 版 → 第 N 版, by default the version returned against the one resubmitted since.

    Officials only (the 盟市 and 自治区 who see the application): the page answers "was my return
    dealt with", beside the return history only they read. The applicant knows what it changed and
    reads every opinion on its own pages; an expert scores one version and never sees the returns.
    """
    application = application_for(request.user, pk)
    if not scoping.may_review_records(request.user, application):
        raise scoping.out_of_scope(application)
    picked = diff.versions_to_compare(application, _number(request, "from"), _number(request, "to"))
    reads.record_view(request, application, page="changes", versions=[v.number for v in (picked or ())[:2]])
    if picked is None:
        return render(request, "reviews/changes.html", {"app": application, "comparison": None})
    old, new, unusable = picked
    return render(
        request,
        "reviews/changes.html",
        {
            "app": application,
            "comparison": diff.comparison(application, old, new),
            "versions": application.versions.order_by("number").values_list("number", flat=True),
            "unusable": unusable,
        },
    )


def _number(request, name):
    """A version number from the query string: None when absent, 0 (no version has it) when not a number."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    return int(text) if VERSION_NUMBER.fullmatch(text) else 0

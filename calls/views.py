"""The public page of a call: its guide, readable before registering."""

from django.shortcuts import get_object_or_404, render

from calls.models import Call


def guide(request, code):
    call = get_object_or_404(Call.objects.published(), code=code)
    return render(request, "calls/guide.html", {"call": call})

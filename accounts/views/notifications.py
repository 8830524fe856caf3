"""The signed-in person's messages (mounted at /notifications/, URL names notifications:*): the list,
opening one, and marking them all read. The messages are sent from below accounts (notifications.service);
which of them a person may read is scoping's answer, so the pages sit here."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import scoping
from notifications.models import is_site_path


@login_required
def notification_list(request):
    notifications = scoping.notifications_for(request.user)
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def open_notification(request, pk):
    notification = scoping.get_visible_or_404(scoping.notifications_for(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if is_site_path(notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    scoping.notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")

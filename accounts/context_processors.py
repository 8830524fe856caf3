"""The unread count of the signed-in person's messages, for the bell in every page's header."""

from django.utils.functional import SimpleLazyObject

from accounts.scoping import notifications_for


def unread(request):
    """`unread_notifications`, counted only when a template shows it (the bell, for signed-in users)."""
    user = getattr(request, "user", None)

    def count():
        if user is None or not user.is_authenticated:
            return 0
        return notifications_for(user).filter(read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}

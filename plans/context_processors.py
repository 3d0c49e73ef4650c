"""The count of unread notifications for the top bar (one query per page)."""

from .models import Notification


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never shows the top bar (a fragment) never runs the query.
    return {
        "unread_notifications": lambda: Notification.objects.filter(
            user=user, read_at__isnull=True
        ).count()
    }

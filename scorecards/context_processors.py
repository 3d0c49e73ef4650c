"""The count of the user's open alerts for the top bar (one query, only when shown)."""

from .alerts.services import open_count


def alerts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"open_alerts": lambda: open_count(user=user)}

"""An account's health as the pages, the API and the packs show it: the components
stored in its latest snapshot (DESIGN §3), labelled, and its trend over the year."""

from datetime import timedelta

from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot

TREND_DAYS = 365


def account_health_trend(*, account: Account, days: int = TREND_DAYS) -> list[tuple]:
    """[(date, health)] of the account's snapshots over `days`, oldest first."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        AccountSnapshot.objects.filter(account=account, date__gte=since, health__isnull=False)
        .order_by("date")
        .values_list("date", "health")
    )


COMPONENT_LABELS = {
    "rpi": ("Relationship penetration", "RPI of the account's relationships"),
    "scorecard": ("Scorecard", "score of the latest scored period"),
    "survey": ("Customer survey", "(customers' mean − 1) · 25, latest round"),
    "plan_execution": ("Plan execution", "tactics due, done by their date"),
    "engagement": ("Engagement", "a decision maker met in the last 30 days: 100, none for 120: 0"),
}


def health_components(snapshot: AccountSnapshot | None) -> list[dict]:
    """The stored components, labelled, in DESIGN §3's order."""
    stored = (snapshot.health_components if snapshot else None) or {}
    rows = []
    for key, (label, explanation) in COMPONENT_LABELS.items():
        part = stored.get(key) or {}
        rows.append(
            {
                "key": key,
                "label": label,
                "explanation": explanation,
                "value": part.get("value"),
                "weight_pct": None if not part.get("weight") else part["weight"] * 100,
                "contribution": part.get("contribution") if part.get("value") is not None else None,
            }
        )
    return rows

"""How many generated packs are kept (DESIGN §11, issue 17): the last
`STRATA_PACKS_KEPT` of each account (both versions together) and of the executive
portfolio; older PDFs are removed by a daily job. A pack is regenerable from the data,
so this is storage, not history (who generated which pack stays in the history)."""

from django.conf import settings
from django.db.models import Count

from plans.models import GeneratedPack


def packs_prune(*, kept: int | None = None) -> int:
    """Remove the packs past the newest `kept` of each account and of the portfolio;
    returns how many were removed. Packs still rendering are never removed."""
    kept = settings.STRATA_PACKS_KEPT if kept is None else kept
    finished = GeneratedPack.objects.exclude(
        status__in=(GeneratedPack.Status.PENDING, GeneratedPack.Status.RUNNING)
    )
    removed = 0
    crowded = (
        finished.exclude(account=None)
        .values("account")
        .annotate(n=Count("id"))
        .filter(n__gt=kept)
        .values_list("account", flat=True)
    )
    groups = [finished.filter(account_id=account_id) for account_id in crowded]
    groups.append(finished.filter(account=None, kind=GeneratedPack.Kind.PORTFOLIO))
    for packs in groups:
        keep = list(packs.order_by("-created_at", "-id").values_list("id", flat=True)[:kept])
        deleted, _ = packs.exclude(id__in=keep).delete()
        removed += deleted
    return removed

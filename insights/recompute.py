"""The recompute of one account after a change: what every app derives from the
account's data, in the order each reads the other — the stored quality of its plans
(it reads the decision makers, their relationships and the team), today's snapshot
(RPI, scorecard, survey, plan execution, engagement, health, pipeline, plan; it reads
the plan's quality), then the alert rules over the new figures."""

from accounts_app.models import Account, AccountSnapshot
from plans.services import account_plans_quality_refresh

from .alerts.evaluate import rules_evaluate
from .snapshots import account_snapshot_refresh


def account_recompute(*, account_id: int) -> AccountSnapshot | None:
    """Idempotent; None (and nothing done) if the account no longer exists or is
    archived (it leaves recomputes until restored; restoring recomputes it)."""
    if Account.objects.filter(pk=account_id, archived=True).exists():
        return None
    account_plans_quality_refresh(account_id=account_id)
    snapshot = account_snapshot_refresh(account_id=account_id)
    if snapshot:
        rules_evaluate(account_ids=[account_id])
    return snapshot

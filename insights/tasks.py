"""The recompute pipeline's jobs. Thin: ids in, a service call, idempotent (a day's
snapshots and portfolio row are overwritten, never added twice; alerts are raised once
per rule, account and subject), acks_late so a worker lost mid-job has it redone."""

import logging

from celery import shared_task

from accounts_app.models import Account
from core.heartbeats import NIGHTLY_RECOMPUTE, heartbeat_stamp
from core.jobs import run_exclusive

from .activity import history_prune
from .alerts.escalation import digest_send, escalate
from .alerts.evaluate import rules_evaluate
from .dashboards import portfolio_snapshot_refresh
from .packs import portfolio_pack_render
from .packs.retention import packs_prune
from .recompute import account_recompute
from .snapshots import account_snapshots_refresh

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def recompute_account(account_id: int) -> int | None:
    """After a change (core.jobs.recompute_later, debounced): account `account_id`'s
    plan quality, today's snapshot and its alerts; quietly ends if it is gone.

    Returns the snapshot's id (or None) so a caller waiting on the result can check it.
    """
    snapshot = account_recompute(account_id=account_id)
    return snapshot.pk if snapshot else None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def nightly_recompute(self) -> int:
    """Every account's snapshot for today — RPI, scorecard, survey, plan execution,
    engagement, health, pipeline, plan — in set-based batches, then the portfolio's
    aggregates. Returns how many accounts were recomputed. One at a time: a second
    (delivered again, or started by hand) waits for the first, then rewrites the same
    rows."""
    return run_exclusive(self, "nightly-recompute", 0, _nightly_recompute)


def _nightly_recompute() -> int:
    ids = list(Account.objects.filter(archived=False).order_by("pk").values_list("pk", flat=True))
    written = account_snapshots_refresh(account_ids=ids)
    portfolio_snapshot_refresh()
    # Read by /metrics (strata_nightly_recompute_last_success_timestamp_seconds).
    heartbeat_stamp(name=NIGHTLY_RECOMPUTE)
    logger.info("recomputed %s accounts and the portfolio", len(written))
    return len(written)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_portfolio() -> int:
    """The portfolio's aggregates from the accounts' latest snapshots."""
    return portfolio_snapshot_refresh().pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_alert_rules() -> dict:
    """Every rule over every account: raise, update, resolve (idempotent)."""
    return rules_evaluate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def escalate_alerts() -> int:
    """Take the escalation steps now due; each person is notified once per step."""
    return escalate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_alert_digests() -> int:
    """Each person's daily digest of their open alerts."""
    return digest_send()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def render_portfolio_pack(self, pack_id: int) -> str | None:
    """Render the executive portfolio pack `pack_id`, showing progress as it goes; a pack
    already finished is left as it is, one still rendering elsewhere is waited for."""
    pack = run_exclusive(
        self, "portfolio-pack", pack_id, lambda: portfolio_pack_render(pack_id=pack_id)
    )
    return pack.status if pack else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_snapshots(account_ids: list[int]) -> int:
    """Today's snapshots of the accounts a bulk change touched (an import), in the
    nightly job's set-based batches. Returns how many were written."""
    return len(account_snapshots_refresh(account_ids=account_ids))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def prune_packs() -> int:
    """Daily: the generated packs past the newest STRATA_PACKS_KEPT of each account and
    of the portfolio are removed. Returns how many."""
    return packs_prune()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def prune_history() -> int:
    """Daily: the records' history rows older than STRATA_HISTORY_DAYS days (none when it
    is 0) are removed. Returns how many."""
    return history_prune()

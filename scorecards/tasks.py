"""Background jobs of scorecards and dashboards. Thin: a service call, idempotent (a
day's snapshots and portfolio row are overwritten, never added twice), acks_late so a
worker lost mid-job has it redone."""

import logging

from celery import shared_task

from accounts_app.models import Account
from accounts_app.snapshots import account_snapshots_refresh

from .dashboards import portfolio_snapshot_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def nightly_recompute() -> int:
    """Every account's snapshot for today — RPI, scorecard, survey, plan execution,
    engagement, health, pipeline, plan — in set-based batches, then the portfolio's
    aggregates. Returns how many accounts were recomputed."""
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    written = account_snapshots_refresh(account_ids=ids)
    portfolio_snapshot_refresh()
    logger.info("recomputed %s accounts and the portfolio", len(written))
    return len(written)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_portfolio() -> int:
    """The portfolio's aggregates from the accounts' latest snapshots."""
    return portfolio_snapshot_refresh().pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_alert_rules() -> dict:
    """Every rule over every account: raise, update, resolve (idempotent)."""
    from .alerts.evaluate import rules_evaluate

    return rules_evaluate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def escalate_alerts() -> int:
    """Take the escalation steps now due; each person is notified once per step."""
    from .alerts.services import escalate

    return escalate()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_alert_digests() -> int:
    from .alerts.services import digest_send

    return digest_send()

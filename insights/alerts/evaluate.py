"""Evaluating the alert rules over the accounts, set-based: each kind gathers what it
needs for every account in scope in a few queries and returns its findings
(insights.alerts.findings; scorecards.alerts.kinds decides); then one pass per rule
raises new alerts, updates the ones still true and resolves, with a note, the ones whose
condition cleared. Running it twice, or in two
workers at once, raises nothing twice: the partial unique index on live alerts refuses
the second insert, which is ignored.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts_app.models import Account
from scorecards.models import Alert, AlertEvent, AlertRule

from .findings import EVALUATORS


def _scope(rule: AlertRule, account_ids: Iterable[int] | None) -> list[int]:
    accounts = Account.objects.filter(archived=False)
    if account_ids is not None:
        accounts = accounts.filter(pk__any_of=list(account_ids))
    tiers = [t.pk for t in rule.tiers.all()]
    if tiers:
        accounts = accounts.filter(tier_assignment__tier_id__in=tiers)
    return list(accounts.values_list("pk", flat=True))


@transaction.atomic
def rule_evaluate(
    *, rule: AlertRule, account_ids: Iterable[int] | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Raise, update and resolve the rule's alerts over the accounts in scope (all, or
    `account_ids`); returns how many were raised, updated and resolved."""
    now = now or timezone.now()
    evaluator = EVALUATORS.get(rule.kind)
    active = rule.active and evaluator is not None and not rule.inactive_because
    ids = _scope(rule, account_ids) if active else []
    findings = {
        (f.account_id, f.subject_key): f for f in (evaluator(rule, ids, now) if ids else [])
    }
    live_filter = Q(rule=rule, status__in=Alert.LIVE)
    if account_ids is not None:
        live_filter &= Q(account_id__any_of=list(account_ids))
    live = {(a.account_id, a.subject_key): a for a in Alert.objects.filter(live_filter)}
    owners = dict(
        Account.objects.filter(
            pk__any_of=[a for a, _ in findings.keys() - live.keys()]
        ).values_list("pk", "owner_id")
    )
    new = [
        Alert(
            rule=rule,
            account_id=f.account_id,
            subject_key=f.subject_key,
            subject_label=f.subject_label[:200],
            description=f.description,
            numbers=f.numbers,
            severity=rule.severity,
            assignee_id=owners.get(f.account_id),
            raised_at=now,
            evaluated_at=now,
        )
        for key, f in findings.items()
        if key not in live
    ]
    # A second worker raising the same alert at the same moment loses to the index.
    # untracked: alerts keep their history as AlertEvents
    Alert.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    raised = list(Alert.objects.filter(rule=rule, raised_at=now, status=Alert.Status.OPEN))
    # untracked: AlertEvent is the alert's history
    AlertEvent.objects.bulk_create(
        [
            AlertEvent(alert=a, kind=AlertEvent.Kind.RAISED, at=now, note=a.description)
            for a in raised
        ],
        batch_size=2000,
    )
    changed = []
    for key, alert in live.items():
        finding = findings.get(key)
        if finding and (
            finding.description != alert.description or finding.numbers != alert.numbers
        ):
            alert.description, alert.numbers = finding.description, finding.numbers
            alert.subject_label = finding.subject_label[:200]
            alert.evaluated_at = now
            changed.append(alert)
    # untracked: re-evaluation refreshes the text; AlertEvents log state
    Alert.objects.bulk_update(
        changed, ["description", "numbers", "subject_label", "evaluated_at"], batch_size=2000
    )
    cleared = [alert for key, alert in live.items() if key not in findings]
    reason = (
        "Resolved by itself: the condition no longer holds."
        if active
        else "Resolved by itself: the rule was switched off."
    )
    for alert in cleared:
        alert.status, alert.closed_at, alert.close_note = Alert.Status.RESOLVED, now, reason
    # untracked: each cleared alert gets an AlertEvent below
    Alert.objects.bulk_update(cleared, ["status", "closed_at", "close_note"], batch_size=2000)
    # untracked: AlertEvent is the alert's history
    AlertEvent.objects.bulk_create(
        [
            AlertEvent(alert=a, kind=AlertEvent.Kind.AUTO_RESOLVED, at=now, note=reason)
            for a in cleared
        ],
        batch_size=2000,
    )
    return {"raised": len(raised), "updated": len(changed), "resolved": len(cleared)}


def rules_evaluate(
    *, account_ids: Iterable[int] | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Every rule (switched-off ones resolve what they had raised)."""
    totals = defaultdict(int)
    ids = None if account_ids is None else list(account_ids)
    for rule in AlertRule.objects.prefetch_related("tiers").order_by("pk"):
        for key, n in rule_evaluate(rule=rule, account_ids=ids, now=now).items():
            totals[key] += n
    return dict(totals)

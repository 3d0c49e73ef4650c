"""Evaluating the alert rules over the accounts, set-based: each kind gathers what it
needs for every account in scope in a few queries and returns its findings (kinds.py
decides); then one pass per rule raises new alerts, updates the ones still true and
resolves, with a note, the ones whose condition cleared. Running it twice, or in two
workers at once, raises nothing twice: the partial unique index on live alerts refuses
the second insert, which is ignored.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot, Contact
from core import periods
from core.money import amount
from core.periods import fiscal_year, fiscal_year_start
from opportunities.models import Opportunity, Stage
from plans.models import Tactic
from plans.reviews import reviews_due_for
from scorecards import formulas
from scorecards.alerts import kinds
from scorecards.alerts.kinds import Finding
from scorecards.models import (
    Alert,
    AlertEvent,
    AlertRule,
    Scorecard,
    ScorecardLine,
    SurveyAnswer,
    SurveyResponse,
)

from ..servicing import servicing_verdicts

DM = Contact.BuyingRole.DECISION_MAKER


def _param(rule: AlertRule, key: str) -> Decimal:
    value = (rule.parameters or {}).get(key, kinds.defaults(rule.kind)[key])
    return Decimal(str(value))


def _days(rule: AlertRule, key: str = "days") -> int:
    return int(_param(rule, key))


# --- One function per kind: (rule, account ids, now) → findings ------------------------------


def _metric_off_target(rule, ids, now) -> list[Finding]:
    today = timezone.localdate(now)
    latest = Subquery(
        Scorecard.objects.filter(account_id=OuterRef("pk"), period_start__lte=today)
        .order_by("-period_start")
        .values("pk")[:1]
    )
    cards = [
        pk
        for pk in Account.objects.filter(pk__any_of=ids)
        .annotate(card=latest)
        .values_list("card", flat=True)
        if pk
    ]
    threshold = _param(rule, "attainment_pct")
    findings = []
    for line in ScorecardLine.objects.filter(
        scorecard_id__any_of=cards, attainment__isnull=False
    ).select_related("metric", "scorecard"):
        if not kinds.off_target(line.attainment, threshold):
            continue
        card = line.scorecard
        label = periods.label(card.period_start, card.cadence)
        unit = f" {line.metric.unit}" if line.metric.unit else ""
        findings.append(
            Finding(
                card.account_id,
                f"metric:{line.metric_id}",
                line.metric.name,
                f"{line.metric.name} is at {line.attainment * 100:.0f} % of its target in "
                f"{label}: {line.actual:,}{unit} against {line.target:,}{unit} "
                f"({'higher' if line.metric.higher_is_better else 'lower'} is better; the "
                f"rule fires under {threshold:.0f} %).",
                {
                    "period": str(card.period_start),
                    "actual": float(line.actual),
                    "target": float(line.target),
                    "attainment_pct": float(line.attainment * 100),
                },
            )
        )
    return findings


def _rpi_below_target(rule, ids, now) -> list[Finding]:
    rows = (
        Account.objects.filter(pk__any_of=ids, latest_snapshot__rpi__isnull=False)
        .filter(latest_snapshot__rpi__lt=F("tier_assignment__tier__rpi_target"))
        .values_list(
            "pk",
            "latest_snapshot__rpi",
            "tier_assignment__tier__rpi_target",
            "tier_assignment__tier__name",
        )
    )
    return [
        Finding(
            pk,
            "account",
            "RPI",
            f"The Relationship Penetration Index is {rpi}, under the {tier} target of {target}.",
            {"rpi": float(rpi), "target": target},
        )
        for pk, rpi, target, tier in rows
    ]


def _rpi_dropped(rule, ids, now) -> list[Finding]:
    days, points = _days(rule), _param(rule, "points")
    then = timezone.localdate(now) - timedelta(days=days)
    earlier = Subquery(
        AccountSnapshot.objects.filter(account_id=OuterRef("pk"), date__lte=then, rpi__isnull=False)
        .order_by("-date")
        .values("rpi")[:1]
    )
    findings = []
    for pk, now_rpi, then_rpi in (
        Account.objects.filter(pk__any_of=ids, latest_snapshot__rpi__isnull=False)
        .annotate(then_rpi=earlier)
        .values_list("pk", "latest_snapshot__rpi", "then_rpi")
    ):
        if kinds.dropped(now_rpi, then_rpi, points):
            findings.append(
                Finding(
                    pk,
                    "account",
                    "RPI",
                    f"The RPI fell from {then_rpi:.1f} to {now_rpi:.1f} "
                    f"({now_rpi - then_rpi:+.1f}) over the last {days} days.",
                    {"rpi": float(now_rpi), "rpi_before": float(then_rpi), "days": days},
                )
            )
    return findings


def _no_decision_maker_contact(rule, ids, now) -> list[Finding]:
    days = _days(rule)
    today = timezone.localdate(now)
    findings = []
    for contact in (
        Contact.objects.filter(account_id__any_of=ids, buying_role=DM)
        .annotate(last=Max("interactions__date", filter=Q(interactions__date__lte=today)))
        .only("pk", "account_id", "name", "title")
    ):
        since = None if contact.last is None else (today - contact.last).days
        if contact.last is not None and not kinds.overdue(since, days):
            continue
        when = (
            "nobody has met them yet"
            if since is None
            else f"last met {since} days ago, on {contact.last:%d %b %Y}"
        )
        findings.append(
            Finding(
                contact.account_id,
                f"contact:{contact.pk}",
                contact.name,
                f"{contact.name}{', ' + contact.title if contact.title else ''}, a decision "
                f"maker: {when} (the rule fires after {days} days).",
                {"days_since": since, "days": days},
            )
        )
    return findings


def _plan_missing(rule, ids, now) -> list[Finding]:
    """The servicing verdict's plan requirement, unmet: no plan for the fiscal year, or
    one not approved once the rule's grace into the year has passed."""
    today = timezone.localdate(now)
    year = fiscal_year(today)
    into = (today - fiscal_year_start(year)).days
    grace = _days(rule, "grace_days")
    findings = []
    for pk, verdict in servicing_verdicts(account_ids=ids, on=today).items():
        plan = verdict.requirement("plan")
        if plan is None or plan.met:
            continue
        status = plan.facts["status"]
        if status is None:
            text = f"{verdict.tier} requires an account plan and there is none for FY{year}."
        elif into >= grace:
            text = (
                f"{verdict.tier} requires an approved plan; the FY{year} plan is "
                f"{status.replace('_', ' ')}, {into} days into the year."
            )
        else:
            continue
        findings.append(
            Finding(
                pk,
                f"plan:{year}",
                f"FY{year} plan",
                text,
                {"status": status, "days_into_year": into},
            )
        )
    return findings


def _tactic_overdue(rule, ids, now) -> list[Finding]:
    days = _days(rule)
    today = timezone.localdate(now)
    findings = []
    for tactic in Tactic.objects.filter(
        strategy__goal__plan__account_id__any_of=ids,
        status__in=Tactic.OPEN_STATUSES,
        deleted_at__isnull=True,
        strategy__deleted_at__isnull=True,
        strategy__goal__deleted_at__isnull=True,
        due_date__lte=today - timedelta(days=days),
    ).select_related("owner", "strategy__goal__plan"):
        late = (today - tactic.due_date).days
        owner = tactic.owner.name if tactic.owner else "nobody"
        findings.append(
            Finding(
                tactic.strategy.goal.plan.account_id,
                f"tactic:{tactic.pk}",
                tactic.text[:200],
                f"“{tactic.text[:120]}” was due on {tactic.due_date:%d %b %Y}, {late} days "
                f"ago, and is still {tactic.get_status_display().lower()} (owner: {owner}).",
                {"days_overdue": late, "due_date": str(tactic.due_date)},
            )
        )
    return findings


def _review_overdue(rule, ids, now) -> list[Finding]:
    days = _days(rule)
    today = timezone.localdate(now)
    findings = []
    for row in reviews_due_for(ids):
        late = (today - row.due).days
        if not kinds.overdue(late, days):
            continue
        held = (
            f"the last was held on {row.last_held:%d %b %Y}"
            if row.last_held
            else "none has been held"
        )
        findings.append(
            Finding(
                row.account_id,
                f"review:{row.kind}",
                f"{row.kind.capitalize()} business review",
                f"{row.tier} calls for an {row.kind} business review every "
                f"{row.cadence_days} days; {held}, so one was due on {row.due:%d %b %Y}, "
                f"{late} days ago.",
                {"days_overdue": late, "due": str(row.due), "cadence_days": row.cadence_days},
            )
        )
    return findings


def _survey_low(rule, ids, now) -> list[Finding]:
    below = _param(rule, "below")
    # Each account's latest round with customer answers, and its answers by dimension.
    rounds = {}
    for account_id, round_id, created in (
        SurveyResponse.objects.filter(
            kind=SurveyResponse.Kind.CUSTOMER, round__account_id__any_of=ids
        )
        .values_list("round__account_id", "round_id", "round__created_at")
        .distinct()
    ):
        if account_id not in rounds or created > rounds[account_id][1]:
            rounds[account_id] = (round_id, created)
    round_ids = [r for r, _ in rounds.values()]
    scores = defaultdict(lambda: defaultdict(lambda: {"customer": [], "internal": []}))
    names = {}
    for round_id, dimension_id, name, kind, score in SurveyAnswer.objects.filter(
        response__round_id__any_of=round_ids
    ).values_list(
        "response__round_id", "dimension_id", "dimension__name", "response__kind", "score"
    ):
        scores[round_id][dimension_id][kind].append(score)
        names[dimension_id] = name
    findings = []
    for account_id, (round_id, _) in rounds.items():
        dims = scores[round_id]
        mean = formulas.mean(s for d in dims.values() for s in d["customer"])
        if kinds.survey_low(mean, below):
            findings.append(
                Finding(
                    account_id,
                    f"survey:{round_id}",
                    "Customer survey",
                    f"The customers' mean answer in the latest survey is {mean:.2f} of 5, "
                    f"under {below}.",
                    {"mean": float(round(mean, 2)), "below": float(below)},
                )
            )
        for dimension_id, answers in dims.items():
            gap = formulas.perception_gap(answers["customer"], answers["internal"])
            if gap.blind_spot:
                findings.append(
                    Finding(
                        account_id,
                        f"blind_spot:{round_id}:{dimension_id}",
                        names[dimension_id],
                        f"Blind spot on {names[dimension_id]}: the customers answer "
                        f"{gap.customer_mean}, the team expects {gap.internal_mean} "
                        f"(gap {gap.gap}).",
                        {
                            "customer_mean": float(gap.customer_mean),
                            "internal_mean": float(gap.internal_mean),
                            "gap": float(gap.gap),
                        },
                    )
                )
    return findings


def _opportunity_stalled(rule, ids, now) -> list[Finding]:
    days = _days(rule)
    findings = []
    for opportunity in Opportunity.objects.filter(
        account_id__any_of=ids,
        stage__outcome=Stage.Outcome.OPEN,
        stage_changed_at__lte=now - timedelta(days=days),
    ).select_related("stage"):
        in_stage = (now - opportunity.stage_changed_at).days
        findings.append(
            Finding(
                opportunity.account_id,
                f"opportunity:{opportunity.pk}",
                opportunity.name[:200],
                f"“{opportunity.name}” ({amount(opportunity.value)}) has been in "
                f"{opportunity.stage.name} for {in_stage} days without moving.",
                {"days_in_stage": in_stage, "value": float(opportunity.value)},
            )
        )
    return findings


def _detractor_decision_maker(rule, ids, now) -> list[Finding]:
    return [
        Finding(
            contact.account_id,
            f"contact:{contact.pk}",
            contact.name,
            f"{contact.name}{', ' + contact.title if contact.title else ''} decides and is "
            "recorded as a detractor.",
            {},
        )
        for contact in Contact.objects.filter(
            account_id__any_of=ids, buying_role=DM, attitude=Contact.Attitude.DETRACTOR
        ).only("pk", "account_id", "name", "title")
    ]


EVALUATORS = {
    kinds.METRIC_OFF_TARGET: _metric_off_target,
    kinds.RPI_BELOW_TARGET: _rpi_below_target,
    kinds.RPI_DROPPED: _rpi_dropped,
    kinds.NO_DECISION_MAKER_CONTACT: _no_decision_maker_contact,
    kinds.PLAN_MISSING: _plan_missing,
    kinds.TACTIC_OVERDUE: _tactic_overdue,
    kinds.REVIEW_OVERDUE: _review_overdue,
    kinds.SURVEY_LOW: _survey_low,
    kinds.OPPORTUNITY_STALLED: _opportunity_stalled,
    kinds.DETRACTOR_DECISION_MAKER: _detractor_decision_maker,
}


# --- Raising, updating, resolving ------------------------------------------------------------


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
    Alert.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    raised = list(Alert.objects.filter(rule=rule, raised_at=now, status=Alert.Status.OPEN))
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
    Alert.objects.bulk_update(cleared, ["status", "closed_at", "close_note"], batch_size=2000)
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

"""The scorecards, surveys and dashboard history of the demo (`manage.py seed_demo`):
four quarters of scorecards on alice's and bob's accounts, a survey round with answers
and the team's predictions on some of them, then today's figures recomputed and, like
the RPI's, a synthetic six-month history of health and of the portfolio so the trends
have something to show. The first time only; seeded, so every run makes the same."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot, Contact, TeamMember
from core import periods
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshots_refresh

from . import formulas, services, surveys
from .models import Metric, PortfolioSnapshot, Scorecard, SurveyTemplate

SEED = 707

# metric, target, how hard it is to reach (the actual's spread around the target)
LINES = [
    ("Revenue", None, 0.15),
    ("Share of wallet", Decimal(35), 0.2),
    ("On-time delivery", Decimal(95), 0.06),
    ("Open escalations", Decimal(3), 0.6),
    ("Executive meetings held", Decimal(3), 0.4),
    ("Plan tactics on time", Decimal(85), 0.15),
]


def seed_demo_scorecards(*, accounts: list[Account], owners: list) -> int:
    """Scorecards and surveys on the accounts owned by `owners`; returns how many
    scorecards were written (0 if the demo has them already)."""
    if Scorecard.objects.filter(account__in=accounts).exists():
        return 0
    services.ensure_defaults()
    metrics = {m.name: m for m in Metric.objects.filter(name__in=[n for n, _, _ in LINES])}
    today = timezone.localdate()
    current = periods.period_start(today, "quarterly")
    written = 0
    owned = sorted(
        (a for a in accounts if a.owner_id in {o.pk for o in owners}), key=lambda a: a.pk
    )
    for account in owned:
        rng = random.Random(SEED * 101 + account.pk)
        owner = account.owner
        first = periods.shift(current, "quarterly", -3)
        card = services.scorecard_create(
            account=account,
            by=owner,
            period_start=first,
            metrics=[metrics[name] for name, _, _ in LINES],
        )
        quarterly_revenue = (account.annual_revenue or Decimal(1_000_000)) / 4
        for line in card.lines.select_related("metric"):
            name = line.metric.name
            target = next(t for n, t, _ in LINES if n == name) or quarterly_revenue.quantize(
                Decimal(1)
            )
            services.line_update(line=line, by=owner, target=str(target))
        trend = rng.uniform(-0.04, 0.06)  # some accounts improve, some slip
        for quarter in range(4):
            if quarter:
                card = services.scorecard_next(scorecard=card, by=owner)
            if card.period_start > today:
                break
            for line in card.lines.select_related("metric"):
                spread = next(s for n, _, s in LINES if n == line.metric.name)
                level = 1 + trend * quarter + rng.gauss(0, spread / 2)
                if not line.metric.higher_is_better:
                    level = 2 - level
                actual = max(line.target * Decimal(str(round(level, 3))), Decimal(0))
                if line.metric.unit == "%":
                    actual = min(actual, Decimal(100))
                if line.metric.unit in ("count",):
                    actual = actual.quantize(Decimal(1))
                else:
                    actual = actual.quantize(Decimal("0.1"))
                services.line_update(line=line, by=owner, actual=str(actual))
            written += 1
    _surveys(owned[::2])
    return written


def _surveys(accounts: list[Account]) -> None:
    """A round on each account: the decision makers and executives answer (some
    think less of us than the team expects), the team predicts."""
    template = SurveyTemplate.objects.order_by("pk").first()
    dimensions = list(template.dimensions.all())
    for account in accounts:
        rng = random.Random(SEED * 211 + account.pk)
        contacts = list(
            Contact.objects.filter(account=account).exclude(email="").order_by("-level", "pk")[:4]
        )
        if not contacts:
            continue
        owner = account.owner
        survey = surveys.round_create(
            account=account,
            by=owner,
            template=template,
            title=f"Relationship review {timezone.localdate():%B %Y}",
            contacts=contacts,
            link_base="https://strata.example/s/",
            send=False,
        )
        weak = rng.choice(dimensions)
        for invitation in list(survey.invitations.all())[: rng.randint(1, len(contacts))]:
            token = f"demo-{invitation.pk}"
            invitation.token_hash = surveys.token_hash(token)
            invitation.save(update_fields=["token_hash"])
            answers = {
                d.pk: max(1, min(5, round(rng.gauss(2.2 if d == weak else 3.8, 0.7))))
                for d in dimensions
            }
            comment = rng.choice(
                [
                    "",
                    "Good people, but deliveries slipped twice this quarter.",
                    "We value the service team's responsiveness.",
                    "Invoicing is still too complicated.",
                ]
            )
            surveys.customer_answer(token=token, answers=answers, comment=comment)
        for member in TeamMember.objects.filter(account=account).select_related("user")[:2]:
            surveys.prediction_set(
                survey=survey,
                by=member.user,
                answers={d.pk: max(1, min(5, round(rng.gauss(4, 0.5)))) for d in dimensions},
            )


def seed_demo_history(*, accounts: list[Account]) -> None:
    """Today's figures, then health on the earlier (synthetic) snapshot rows and the
    portfolio for those days: a seeded walk back from today's health. Only where the
    earlier rows have no health yet."""
    ids = [a.pk for a in accounts]
    today = timezone.localdate()
    if not AccountSnapshot.objects.filter(
        account_id__in=ids, date__lt=today, health__isnull=True
    ).exists():
        return  # done before: a second run changes nothing
    account_snapshots_refresh(account_ids=ids)
    current = {
        s.account_id: s.health
        for s in AccountSnapshot.objects.filter(account_id__in=ids, date=today)
    }
    past = list(
        AccountSnapshot.objects.filter(
            account_id__in=ids, date__lt=today, health__isnull=True
        ).order_by("account_id", "-date")
    )
    walked = {}
    for snapshot in past:
        rng = random.Random(SEED * 31 + snapshot.account_id * 7 + snapshot.date.toordinal())
        value = walked.get(snapshot.account_id, current.get(snapshot.account_id))
        if value is None:
            continue
        value = Decimal(str(round(min(max(float(value) - rng.uniform(-6, 6), 0), 100), 1)))
        walked[snapshot.account_id] = value
        snapshot.health, snapshot.health_band = value, formulas.band(value)
    AccountSnapshot.objects.bulk_update(past, ["health", "health_band"])
    portfolio_snapshot_refresh()
    days = sorted({s.date for s in past})
    for day in days:
        tiers = []
        for tier in PortfolioSnapshot.objects.get(date=today).data["tiers"]:
            mean = AccountSnapshot.objects.filter(
                account_id__in=ids, date=day, account__tier_assignment__tier_id=tier["id"]
            ).aggregate(mean=Avg("health"))["mean"]
            tiers.append(tier | {"health_mean": None if mean is None else round(float(mean), 1)})
        PortfolioSnapshot.objects.update_or_create(
            date=day,
            defaults={
                "data": {"tiers": tiers},
                "computed_at": timezone.now() - timedelta(days=(today - day).days),
            },
        )


def seed_demo_alerts(*, accounts: list[Account]) -> int:
    """Evaluate the alert rules over the demo, and let the first escalation step run, so
    the owners find alerts in their inbox. Returns how many alerts were raised."""
    from insights.alerts.escalation import escalate
    from insights.alerts.evaluate import rules_evaluate

    from .alerts.services import alert_defaults_ensure

    alert_defaults_ensure()
    raised = rules_evaluate(account_ids=[a.pk for a in accounts]).get("raised", 0)
    if raised:
        escalate(send=False)  # the demo's e-mails would go nowhere useful
    return raised

"""The scorecards and surveys of the demo (`manage.py seed_demo`): four quarters of
scorecards on alice's and bob's accounts, and a survey round with answers and the
team's predictions on some of them. Written through the services, the first time only;
seeded, so every run makes the same. Their history is `demo.seed.history`'s."""

import random
from decimal import Decimal

from django.utils import timezone

from accounts_app.models import Account, Contact, TeamMember
from core import periods
from scorecards import services, surveys
from scorecards.models import Metric, Scorecard, SurveyTemplate

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
                d.pk: max(1, min(5, round(rng.gauss(2.2 if d == weak else 4.0, 0.5))))
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
        # The sponsor's seat does not write (docs/decisions.md): the working team predicts.
        team = TeamMember.objects.filter(account=account).exclude(
            role__in=TeamMember.READ_ONLY_ROLES
        )
        for member in team.select_related("user")[:2]:
            surveys.prediction_set(
                survey=survey,
                by=member.user,
                # Close to what the customers say, but for the weak point: that one the
                # team misjudges (a blind spot).
                answers={
                    d.pk: max(1, min(5, round(rng.gauss(4.2 if d == weak else 3.8, 0.4))))
                    for d in dimensions
                },
            )

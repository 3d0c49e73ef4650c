"""Plan quality (DESIGN §3), a pure function over plain values: the share of eight
checks that pass, each worth the same, and the failing ones — the coach's agenda."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

FRESH_DAYS = 90
MIN_KNOWLEDGE_POINTS = 3
DM_STRENGTH = 2


@dataclass(frozen=True)
class PlanFacts:
    overview: str
    knowledge_points: int
    revenue_target: Decimal | None
    strengths: int
    weaknesses: int
    goals_with_strategy_and_tactic: int
    open_tactics_without_owner_or_due: int
    decision_makers: int
    decision_makers_below_2: int
    last_update: date
    today: date


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    advice: str


@dataclass(frozen=True)
class Quality:
    checks: tuple[Check, ...]

    @property
    def score(self) -> Decimal:
        passed = sum(1 for check in self.checks if check.passed)
        return (Decimal(100 * passed) / len(self.checks)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def failing(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


def plan_quality(facts: PlanFacts) -> Quality:
    """The eight checks of DESIGN §3. "Every decision maker has a relationship of
    strength ≥ 2" holds when the account has no decision maker recorded; "every open
    tactic has an owner and a due date" holds when there is no open tactic."""
    stale_since = facts.today - timedelta(days=FRESH_DAYS)
    checks = (
        Check(
            "overview",
            "Overview written",
            bool(facts.overview.strip()),
            "Write the overview: the account in a few sentences.",
        ),
        Check(
            "knowledge",
            f"At least {MIN_KNOWLEDGE_POINTS} knowledge points",
            facts.knowledge_points >= MIN_KNOWLEDGE_POINTS,
            f"Record the customer's goals, initiatives and challenges "
            f"({facts.knowledge_points} of {MIN_KNOWLEDGE_POINTS} so far).",
        ),
        Check(
            "target",
            "Financial target set",
            facts.revenue_target is not None,
            "Set the revenue target for the year.",
        ),
        Check(
            "swot",
            "At least one strength and one weakness",
            facts.strengths >= 1 and facts.weaknesses >= 1,
            "Name at least one strength and one weakness.",
        ),
        Check(
            "goals",
            "A goal with a strategy and a tactic",
            facts.goals_with_strategy_and_tactic >= 1,
            "Give at least one goal a strategy and a tactic.",
        ),
        Check(
            "tactics",
            "Every open tactic has an owner and a due date",
            facts.open_tactics_without_owner_or_due == 0,
            f"{facts.open_tactics_without_owner_or_due} open tactic"
            f"{'s lack' if facts.open_tactics_without_owner_or_due != 1 else ' lacks'} "
            "an owner or a due date.",
        ),
        Check(
            "decision_makers",
            f"Every decision maker has a relationship of strength ≥ {DM_STRENGTH}",
            facts.decision_makers_below_2 == 0,
            f"{facts.decision_makers_below_2} of {facts.decision_makers} decision makers "
            f"{'have' if facts.decision_makers_below_2 != 1 else 'has'} no relationship "
            f"of strength {DM_STRENGTH} or more.",
        ),
        Check(
            "fresh",
            f"Updated in the last {FRESH_DAYS} days",
            facts.last_update >= stale_since,
            f"Nothing has changed since {facts.last_update:%d %b %Y}: bring the plan up to date.",
        ),
    )
    return Quality(checks=checks)

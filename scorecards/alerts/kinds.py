"""The built-in kinds of action alert (DESIGN §5) as pure conditions over plain values,
with their parameters, defaults and the sentence that describes a finding. Durations are
"N days or more": a tactic due exactly N days ago is N days overdue and fires; one day
less does not. The evaluation (alerts/evaluate.py) gathers the values in bulk and calls
these."""

from dataclasses import dataclass, field
from decimal import Decimal

METRIC_OFF_TARGET = "metric_off_target"
RPI_BELOW_TARGET = "rpi_below_target"
RPI_DROPPED = "rpi_dropped"
NO_DECISION_MAKER_CONTACT = "no_decision_maker_contact"
PLAN_MISSING = "plan_missing"
TACTIC_OVERDUE = "tactic_overdue"
REVIEW_OVERDUE = "review_overdue"
SURVEY_LOW = "survey_low"
OPPORTUNITY_STALLED = "opportunity_stalled"
DETRACTOR_DECISION_MAKER = "detractor_decision_maker"
RISK_HIGH = "risk_high"
RENEWAL_UNQUALIFIED = "renewal_unqualified"
NOTICE_DEADLINE = "notice_deadline"


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    default: Decimal | int
    minimum: Decimal | int = 0
    maximum: Decimal | int = 10_000


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    explanation: str
    severity: str
    parameters: tuple[Parameter, ...] = ()
    # Why a kind cannot fire yet (its data does not exist in Strata); None when it can.
    inactive_because: str | None = None
    subject: str = "account"

    def explain(self, parameters: dict | None = None) -> str:
        """The explanation with the rule's values in place of its parameters (their
        defaults where the rule sets none): "… for 60 days or more", never "N days"."""
        values = {p.key: p.default for p in self.parameters} | (parameters or {})
        return self.explanation.format(**{k: _shown(v) for k, v in values.items()})


def _shown(value):
    """7.0 → "7", 2.5 → "2.5": rules store their numbers as floats."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


KINDS = {
    k.key: k
    for k in (
        Kind(
            METRIC_OFF_TARGET,
            "Scorecard metric off target",
            "A metric of the account's latest scorecard is below {attainment_pct} % of its target.",
            "medium",
            (Parameter("attainment_pct", "Below this attainment (%)", 90, 1, 100),),
            subject="metric",
        ),
        Kind(
            RPI_BELOW_TARGET,
            "RPI below the tier's target",
            "The Relationship Penetration Index is under the RPI target of the account's tier.",
            "medium",
        ),
        Kind(
            RPI_DROPPED,
            "RPI dropped",
            "The RPI fell by at least {points} points over the last {days} days.",
            "high",
            (
                Parameter("points", "Drop of at least (points)", 10, 1, 100),
                Parameter("days", "Over (days)", 30, 1, 365),
            ),
        ),
        Kind(
            NO_DECISION_MAKER_CONTACT,
            "No contact with a decision maker",
            "Nobody has met a decision maker of the account for {days} days or more (one "
            "never met: {days} days after they were added).",
            "high",
            (Parameter("days", "Days without an interaction", 60, 1, 730),),
            subject="contact",
        ),
        Kind(
            PLAN_MISSING,
            "Required plan missing or not approved",
            "The tier requires a plan; this fiscal year's is missing, or not approved "
            "{grace_days} days into the year.",
            "medium",
            (
                Parameter(
                    "grace_days", "Days into the year before 'not approved' counts", 60, 0, 365
                ),
            ),
        ),
        Kind(
            TACTIC_OVERDUE,
            "Tactic overdue",
            "An open tactic of the plan is {days} days or more past its due date.",
            "low",
            (Parameter("days", "Days overdue", 7, 0, 365),),
            subject="tactic",
        ),
        Kind(
            REVIEW_OVERDUE,
            "Business review overdue",
            "An external or internal business review is {days} days or more past the date the "
            "tier's cadence sets (the last one held plus the cadence; never held: from the "
            "day the account entered its tier).",
            "medium",
            (Parameter("days", "Days past the due date", 7, 0, 365),),
            subject="review",
        ),
        Kind(
            SURVEY_LOW,
            "Low survey score or blind spot",
            "The latest customer survey's mean is under {below}, or a dimension is a "
            "blind spot (the team expects 1.0 or more above the customers' answer).",
            "high",
            (Parameter("below", "Customers' mean under (1–5)", Decimal("3.0"), 1, 5),),
        ),
        Kind(
            OPPORTUNITY_STALLED,
            "Opportunity stalled",
            "An open opportunity has been in the same stage {days} days or more.",
            "low",
            (Parameter("days", "Days in the same stage", 45, 1, 730),),
            subject="opportunity",
        ),
        Kind(
            DETRACTOR_DECISION_MAKER,
            "Detractor decision maker",
            "A decision maker of the account is recorded as a detractor.",
            "high",
            subject="contact",
        ),
        Kind(
            RISK_HIGH,
            "Open high risk",
            "A risk of the register, open or being mitigated, scores {min_score} or more "
            "(likelihood × impact, out of 25).",
            "high",
            (Parameter("min_score", "Score of at least", 15, 1, 25),),
            subject="risk",
        ),
        Kind(
            RENEWAL_UNQUALIFIED,
            "Renewal approaching, not qualified",
            "An active contract ends within {days} days and its renewal opportunity is "
            "missing, lost or not qualified yet.",
            "high",
            (Parameter("days", "Ends within (days)", 90, 1, 730),),
            subject="contract",
        ),
        Kind(
            NOTICE_DEADLINE,
            "Notice deadline near",
            "The last day to give notice on an active contract is within {days} days.",
            "medium",
            (Parameter("days", "Within (days)", 30, 0, 365),),
            subject="contract",
        ),
    )
}


def defaults(kind: str) -> dict:
    return {p.key: p.default for p in KINDS[kind].parameters}


# --- Conditions ----------------------------------------------------------------------------


def overdue(days_past: int | None, n: int) -> bool:
    """N days or more: exactly N fires, N − 1 does not."""
    return days_past is not None and days_past >= n


def off_target(attainment: Decimal | None, threshold_pct) -> bool:
    """Attainment under the threshold (90 % by default, DESIGN §3's "off")."""
    return attainment is not None and attainment * 100 < Decimal(str(threshold_pct))


def below_target(rpi: Decimal | None, target: int | None) -> bool:
    return rpi is not None and target is not None and rpi < target


def dropped(rpi_now: Decimal | None, rpi_then: Decimal | None, points) -> bool:
    """Fell by `points` or more."""
    if rpi_now is None or rpi_then is None:
        return False
    return rpi_then - rpi_now >= Decimal(str(points))


def survey_low(mean: Decimal | None, below) -> bool:
    return mean is not None and mean < Decimal(str(below))


@dataclass
class Finding:
    """What a rule found on an account: the subject (a key unique within the account,
    and its name), a sentence with the numbers, and the numbers themselves."""

    account_id: int
    subject_key: str
    subject_label: str
    description: str
    numbers: dict = field(default_factory=dict)


# The procedure and rules seeded by the migration (and ensure_alert_defaults()).
DEFAULT_PROCEDURE = "Owner, then manager, then executive sponsor"
DEFAULT_STEPS = [(0, "owner"), (24, "owner_manager"), (72, "executive_sponsor")]

"""What the kinds' evaluations share: a rule's parameters, with the kind's defaults."""

from decimal import Decimal

from scorecards.alerts import kinds
from scorecards.models import AlertRule


def number_param(rule: AlertRule, key: str) -> Decimal:
    value = (rule.parameters or {}).get(key, kinds.defaults(rule.kind)[key])
    return Decimal(str(value))


def days_param(rule: AlertRule, key: str = "days") -> int:
    return int(number_param(rule, key))

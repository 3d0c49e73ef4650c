"""The demo's alerts (`seed_demo`): the rules evaluated over the demo accounts, and the
first escalation step run, so the owners find alerts in their inbox."""

from accounts_app.models import Account
from insights.alerts.escalation import escalate
from insights.alerts.evaluate import rules_evaluate
from scorecards.alerts.services import alert_defaults_ensure


def alerts_raise(*, accounts: list[Account]) -> int:
    """Evaluate the alert rules over the demo, and let the first escalation step run, so
    the owners find alerts in their inbox. Returns how many alerts were raised."""
    alert_defaults_ensure()
    raised = rules_evaluate(account_ids=[a.pk for a in accounts]).get("raised", 0)
    if raised:
        escalate(send=False)  # the demo's e-mails would go nowhere useful
    return raised

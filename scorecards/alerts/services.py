"""What people do with alerts: acknowledge (stops escalation), resolve or dismiss (each
with a note); who may see and act on an alert; each person's alert e-mail settings; the
rules seeded with their defaults. Raising alerts and escalating them is the recompute
pipeline's (insights.alerts)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts_app.models import User
from accounts_app.selectors import can_edit_account
from core.history import records_actor

from ..models import Alert, AlertEvent, AlertPreference, AlertRule, EscalationProcedure
from .kinds import DEFAULT_PROCEDURE, DEFAULT_STEPS, KINDS, defaults

NOTE_MAX = 2000


# --- Reads -------------------------------------------------------------------------------


def alert_list(*, user: User) -> QuerySet[Alert]:
    """The alerts of the accounts `user` may see."""
    if user.is_authenticated and user.is_active and user.sees_every_account:
        return Alert.objects.all()
    return Alert.objects.visible_to(user)


def mine(*, user: User) -> Q:
    """Assigned to `user`, or escalated to them.

    As one `id IN (assigned UNION notified)`: both sides are read from their indexes. An
    `assignee = me OR EXISTS (notified me)` made PostgreSQL test every live alert (the
    navigation's count took 120–360 ms over 64,000 alerts; bench/README.md)."""
    assigned = Alert.objects.filter(assignee=user).order_by().values("pk")
    notified = (
        AlertEvent.objects.filter(kind=AlertEvent.Kind.NOTIFIED, user=user)
        .order_by()
        .values("alert_id")
    )
    return Q(pk__in=assigned.union(notified))


def open_count(*, user: User) -> int:
    """Live alerts assigned or escalated to `user` that nobody acknowledged: the number in
    the navigation."""
    if not (user.is_authenticated and user.is_active):
        return 0
    return alert_list(user=user).filter(mine(user=user), status=Alert.Status.OPEN).count()


def alert_get_for_user(*, user: User, alert_id) -> Alert:
    try:
        return alert_list(user=user).select_related("rule", "account", "assignee").get(pk=alert_id)
    except (Alert.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such alert.") from exc


def can_act(*, user: User, alert: Alert) -> bool:
    """The account team, the people it was escalated to, managers who may see the account,
    and admins act on an alert."""
    if can_edit_account(user=user, account=alert.account):
        return True
    if user.role == User.Role.MANAGER:
        return True  # alert_get_for_user has checked the manager may see the account
    return alert.events.filter(kind=AlertEvent.Kind.NOTIFIED, user=user).exists()


def alert_defaults_ensure() -> None:
    """The escalation procedure and one rule per kind where no rule exists (a flushed
    database), as the migration seeds them."""
    if AlertRule.objects.exists():
        return
    procedure, _ = EscalationProcedure.objects.get_or_create(name=DEFAULT_PROCEDURE)
    for position, (hours, role) in enumerate(DEFAULT_STEPS, start=1):
        procedure.steps.get_or_create(
            position=position, defaults={"after_hours": hours, "notify": role}
        )
    for kind in KINDS.values():
        AlertRule.objects.create(
            kind=kind.key,
            name=kind.label,
            parameters={k: float(v) for k, v in defaults(kind.key).items()},
            severity=kind.severity,
            active=kind.inactive_because is None,
            procedure=procedure,
        )


# --- Rules -------------------------------------------------------------------------------


def rule_check(*, kind: str, parameters, active: bool) -> dict:
    """A rule's parameters against its kind (known keys, numbers within range; missing
    ones take the default) — the admin site and the API use it. Field errors raised."""
    definition = KINDS.get(kind)
    if definition is None:
        raise ValidationError({"kind": "Choose one of the built-in kinds."})
    if parameters in (None, ""):
        parameters = {}
    if not isinstance(parameters, dict):
        raise ValidationError(
            {"parameters": 'Give the parameters as an object, e.g. {"days": 30}.'}
        )
    known = {p.key: p for p in definition.parameters}
    errors = []
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        errors.append(
            f"{definition.label} takes {', '.join(known) or 'no parameters'}; "
            f"not {', '.join(unknown)}."
        )
    for key, value in parameters.items():
        p = known.get(key)
        if p is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(f"{key}: give a number.")
        elif not p.minimum <= value <= p.maximum:
            errors.append(f"{key}: from {p.minimum} to {p.maximum}.")
    problems = {}
    if errors:
        problems["parameters"] = errors
    if active and definition.inactive_because:
        problems["active"] = definition.inactive_because
    if problems:
        raise ValidationError(problems)
    return {k: float(v) for k, v in (defaults(kind) | parameters).items()}


# --- People ------------------------------------------------------------------------------


def _require_act(by: User, alert: Alert) -> None:
    if not can_act(user=by, alert=alert):
        raise PermissionDenied("Only the account team and those alerted act on this alert.")


def _note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"note": "Say what was done (or why it is dismissed)."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX:,} characters."})
    return note


@records_actor
@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: User, note: str = "") -> Alert:
    """Someone is on it: escalation stops."""
    _require_act(by, alert)
    note = _note(note, required=False)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.OPEN:
        raise ValidationError(f"The alert is {alert.get_status_display().lower()} already.")
    now = timezone.now()
    alert.status, alert.acknowledged_at, alert.acknowledged_by = Alert.Status.ACKNOWLEDGED, now, by
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    AlertEvent.objects.create(
        alert=alert, kind=AlertEvent.Kind.ACKNOWLEDGED, user=by, note=note, at=now
    )
    return alert


@records_actor
@transaction.atomic
def alert_close(*, alert: Alert, by: User, note: str, dismiss: bool = False) -> Alert:
    """Resolved (the problem is dealt with) or dismissed (it is not one): a note either
    way. A dismissed condition that still holds is raised again by the next evaluation
    only as a new alert after this one is closed."""
    _require_act(by, alert)
    note = _note(note, required=True)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not alert.is_live:
        raise ValidationError(f"The alert is {alert.get_status_display().lower()} already.")
    now = timezone.now()
    status = Alert.Status.DISMISSED if dismiss else Alert.Status.RESOLVED
    alert.status, alert.closed_at, alert.closed_by, alert.close_note = status, now, by, note
    alert.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    kind = AlertEvent.Kind.DISMISSED if dismiss else AlertEvent.Kind.RESOLVED
    AlertEvent.objects.create(alert=alert, kind=kind, user=by, note=note, at=now)
    return alert


def alert_preference_set(*, user: User, email_each: bool, daily_digest: bool) -> AlertPreference:
    """The user's alert e-mail settings: one e-mail per alert, a daily digest, or both."""
    preference, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"email_each": email_each, "daily_digest": daily_digest}
    )
    return preference

"""What people do with alerts: acknowledge (stops escalation), resolve or dismiss (each
with a note); who may see and act on an alert; each person's alert e-mail settings; the
rules seeded with their defaults. Raising alerts and escalating them is the recompute
pipeline's (insights.alerts)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

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
BULK_MAX = 500
SNOOZE_MAX_DAYS = 365
ACTIONS = ("acknowledge", "resolve", "dismiss")


# --- Reads -------------------------------------------------------------------------------


def alert_list(*, user: User) -> QuerySet[Alert]:
    """The alerts of the accounts `user` may see."""
    if user.is_authenticated and user.is_active and user.sees_every_account:
        return Alert.objects.all()
    return Alert.objects.visible_to(user)


def awake() -> Q:
    """Not snoozed today."""
    return Alert.awake(timezone.localdate())


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
    return alert_list(user=user).filter(mine(user=user), awake(), status=Alert.Status.OPEN).count()


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


@records_actor
@transaction.atomic
def alert_snooze(*, alert: Alert, by: User, until: date | None, note: str = "") -> Alert:
    """Out of the inbox and not escalated until `until` (a day after today, within a
    year); None wakes it now. The alert stays live: the problem is still there."""
    _require_act(by, alert)
    note = _note(note, required=False)
    today = timezone.localdate()
    if until is not None and not today < until <= today + timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError(
            {"until": f"Choose a day after today, within {SNOOZE_MAX_DAYS} days."}
        )
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not alert.is_live:
        raise ValidationError(f"The alert is {alert.get_status_display().lower()} already.")
    alert.snoozed_until = until
    alert.save(update_fields=["snoozed_until"])
    said = f"Snoozed until {until:%-d %b %Y}." if until else "Woken up."
    AlertEvent.objects.create(
        alert=alert,
        kind=AlertEvent.Kind.SNOOZED,
        user=by,
        note=f"{said} {note}".strip(),
        at=timezone.now(),
    )
    return alert


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"id", "reason"}


def alerts_bulk(*, user: User, ids, action: str, note: str = "") -> BulkResult:
    """Acknowledge, resolve or dismiss many alerts at once, with one note (required to
    resolve or dismiss). Each alert is acted on as one would be alone; those that cannot
    be (already acknowledged, not yours to act on, not found) are skipped with the
    reason. The whole request is refused only when it is malformed."""
    if action not in ACTIONS:
        raise ValidationError({"action": f"Choose one of: {', '.join(ACTIONS)}."})
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"ids": "Give the alerts by their numbers."}) from exc
    if not wanted:
        raise ValidationError({"ids": "Choose at least one alert."})
    if len(wanted) > BULK_MAX:
        raise ValidationError({"ids": f"At most {BULK_MAX} alerts at once."})
    note = _note(note, required=action != "acknowledge")
    found = {
        a.pk: a
        for a in alert_list(user=user)
        .filter(pk__in=[i for i in wanted if 0 < i < 2**63])
        .select_related("account")
    }
    result = BulkResult()
    with transaction.atomic():
        for pk in wanted:
            alert = found.get(pk)
            if alert is None:
                result.skipped.append({"id": pk, "reason": "No such alert."})
                continue
            try:
                if action == "acknowledge":
                    alert_acknowledge(alert=alert, by=user, note=note)
                else:
                    alert_close(alert=alert, by=user, note=note, dismiss=action == "dismiss")
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
                result.skipped.append({"id": pk, "reason": reason})
            else:
                result.done.append(pk)
    return result


def alert_preference_set(*, user: User, email_each: bool, daily_digest: bool) -> AlertPreference:
    """The user's alert e-mail settings: one e-mail per alert, a daily digest, or both."""
    preference, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"email_each": email_each, "daily_digest": daily_digest}
    )
    return preference

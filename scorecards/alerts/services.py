"""What people and the escalation job do with alerts: acknowledge (stops escalation),
resolve or dismiss (each with a note), escalate along the rule's procedure (notify a
role after N hours unacknowledged, each person e-mailed once per step), the daily
digest; and who may see and act on an alert."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import TeamMember, User
from accounts_app.selectors import can_edit_account

from ..models import Alert, AlertEvent, AlertPreference, EscalationStep

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
    from django.http import Http404

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
    from ..models import AlertRule, EscalationProcedure
    from .kinds import DEFAULT_PROCEDURE, DEFAULT_STEPS, KINDS, defaults

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
    from .kinds import KINDS, defaults

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


# --- Escalation --------------------------------------------------------------------------


ESCALATION_BATCH = 500


def _recipients(alerts: list[Alert], role: str) -> dict[int, list[User]]:
    """{alert id: the active people `role` names for its account}, in one query at most
    for the whole batch (the owner and their manager come joined with the alert)."""
    if role == EscalationStep.Role.EXECUTIVE_SPONSOR:
        sponsors: dict[int, list[User]] = {}
        for member in TeamMember.objects.filter(
            account_id__in={alert.account_id for alert in alerts},
            role=TeamMember.Role.EXECUTIVE_SPONSOR,
        ).select_related("user"):
            sponsors.setdefault(member.account_id, []).append(member.user)
    elif role == EscalationStep.Role.EXECUTIVES:
        executives = list(User.objects.filter(role=User.Role.EXECUTIVE, is_active=True))
    people = {}
    for alert in alerts:
        owner = alert.account.owner
        if role == EscalationStep.Role.OWNER:
            found = [owner] if owner else []
        elif role == EscalationStep.Role.OWNER_MANAGER:
            found = [owner.manager] if owner and owner.manager else []
        elif role == EscalationStep.Role.EXECUTIVE_SPONSOR:
            found = sponsors.get(alert.account_id, [])
        else:
            found = executives
        people[alert.pk] = [person for person in found if person.is_active]
    return people


def _email(alert: Alert, user: User, *, step: EscalationStep, base_url: str) -> None:
    link = f"{base_url}{reverse('scorecards:alert', args=[alert.pk])}"
    send_mail(
        subject=f"[{alert.get_severity_display()}] {alert.account}: {alert.rule}",
        message=render_to_string(
            "scorecards/email/alert.txt",
            {"alert": alert, "user": user, "step": step, "link": link},
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def escalate(*, now: datetime | None = None, base_url: str | None = None, send: bool = True) -> int:
    """Take every step now due of every open (unacknowledged) alert: record it, notify
    the step's people (each once), e-mail them after the commit. Acknowledged, resolved
    and dismissed alerts stop. Returns how many notifications were made.

    Set-based: per procedure and step, the due alerts are claimed in batches, locked
    (rows another run holds are skipped: that run takes them), their notifications and
    escalation events inserted in bulk and their step moved on in one UPDATE. Steps are
    taken in order, so a late run catches up on every step due. The notification's
    partial unique index (alert, step, person) still refuses a second notification."""
    now = now or timezone.now()
    base_url = settings.STRATA_BASE_URL if base_url is None else base_url
    made = 0
    procedures: dict[int, list[EscalationStep]] = {}
    for step in EscalationStep.objects.order_by("procedure_id", "position"):
        procedures.setdefault(step.procedure_id, []).append(step)
    for procedure_id, steps in procedures.items():
        for index, step in enumerate(steps):
            while True:
                taken = _take_step(procedure_id, index, step, now=now, base_url=base_url, send=send)
                if taken is None:
                    break
                made += taken
    return made


@transaction.atomic
def _take_step(
    procedure_id: int,
    index: int,
    step: EscalationStep,
    *,
    now: datetime,
    base_url: str,
    send: bool,
) -> int | None:
    """Step `index` (0-based) of up to ESCALATION_BATCH open alerts waiting for it and
    due; None when there are none left. Returns how many people were notified."""
    alerts = list(
        Alert.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(
            status=Alert.Status.OPEN,
            rule__procedure_id=procedure_id,
            escalation_step=index,
            raised_at__lte=now - timedelta(hours=step.after_hours),
        )
        .select_related("account__owner__manager", "rule")
        .order_by("pk")[:ESCALATION_BATCH]
    )
    if not alerts:
        return None
    number = index + 1
    people = _recipients(alerts, step.notify)
    label = step.get_notify_display()
    notifications = [
        AlertEvent(
            alert=alert, kind=AlertEvent.Kind.NOTIFIED, step=number, user=person, note=label, at=now
        )
        for alert in alerts
        for person in people[alert.pk]
    ]
    AlertEvent.objects.bulk_create(notifications, ignore_conflicts=True)
    if number > 1:
        AlertEvent.objects.bulk_create(
            AlertEvent(
                alert=alert,
                kind=AlertEvent.Kind.ESCALATED,
                step=number,
                note=f"Unacknowledged after {step.after_hours} hours: {label}.",
                at=now,
            )
            for alert in alerts
        )
    Alert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(escalation_step=number)
    if send:
        recipients = {event.user.pk: event.user for event in notifications if event.user.email}
        opted_out = set(
            AlertPreference.objects.filter(user_id__in=recipients, email_each=False).values_list(
                "user_id", flat=True
            )
        )
        emails = [
            (event.alert, event.user)
            for event in notifications
            if event.user.pk in recipients and event.user.pk not in opted_out
        ]

        def send_emails():
            for alert, person in emails:
                _email(alert, person, step=step, base_url=base_url)

        transaction.on_commit(send_emails)
    return len(notifications)


def digest_send(*, now: datetime | None = None, base_url: str | None = None) -> int:
    """Once a day, to each user who asked for it: their live alerts, one e-mail."""
    now = now or timezone.now()
    base_url = settings.STRATA_BASE_URL if base_url is None else base_url
    today = timezone.localdate(now)
    sent = 0
    for preference in (
        AlertPreference.objects.filter(daily_digest=True)
        .exclude(digest_sent_on=today)
        .select_related("user")
    ):
        user = preference.user
        alerts = list(
            alert_list(user=user)
            .filter(mine(user=user), status__in=Alert.LIVE)
            .select_related("account", "rule")
            .order_by("-raised_at")[:50]
        )
        if alerts and user.email and user.is_active:
            send_mail(
                subject=f"Strata: {len(alerts)} open alert{'s' if len(alerts) != 1 else ''}",
                message=render_to_string(
                    "scorecards/email/digest.txt",
                    {"alerts": alerts, "user": user, "base_url": base_url},
                ),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
        AlertPreference.objects.filter(pk=preference.pk).update(digest_sent_on=today)
    return sent

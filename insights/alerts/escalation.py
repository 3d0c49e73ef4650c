"""Escalation along each rule's procedure (DESIGN §5: notify a role after N hours
unacknowledged, each person e-mailed once per step) and the daily digest."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from core.mail import email_send, send_each
from scorecards.alerts.services import alert_list, mine
from scorecards.models import Alert, AlertEvent, AlertPreference, EscalationStep

ESCALATION_BATCH = 500


def _recipients(alerts: list[Alert], role: str) -> dict[int, list[User]]:
    """{alert id: the active people `role` names for its account who may see it}: one
    query for the role's people (the owner and their manager come joined with the
    alert), one per person for what they may see."""
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
    return _who_may_see(people, alerts)


def _who_may_see(people: dict[int, list[User]], alerts: list[Alert]) -> dict[int, list[User]]:
    """`people` without those who may not see the alert's account (DESIGN §1): an
    owner's manager who is not a manager by role, say, is not told about it. One query
    per distinct person."""
    account_ids = {alert.account_id for alert in alerts}
    persons = {person.pk: person for found in people.values() for person in found}
    sees = {
        pk: set(
            Account.objects.visible_to(person)
            .filter(pk__in=account_ids)
            .values_list("pk", flat=True)
        )
        for pk, person in persons.items()
    }
    return {
        alert.pk: [person for person in people[alert.pk] if alert.account_id in sees[person.pk]]
        for alert in alerts
    }


def _email(alert: Alert, user: User, *, step: EscalationStep, base_url: str) -> None:
    link = f"{base_url}{reverse('scorecards:alert', args=[alert.pk])}"
    email_send(
        subject=f"[{alert.get_severity_display()}] {alert.account}: {alert.rule}",
        message=render_to_string(
            "scorecards/email/alert.txt",
            {"alert": alert, "user": user, "step": step, "link": link},
        ),
        to=[user.email],
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
            Alert.awake(timezone.localdate(now)),
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
    # untracked: AlertEvent is the alert's history
    AlertEvent.objects.bulk_create(notifications, ignore_conflicts=True)
    if number > 1:
        # untracked: AlertEvent is the alert's history
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
    # untracked: the step taken is logged as AlertEvents above
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
            send_each(
                emails,
                lambda pair: _email(pair[0], pair[1], step=step, base_url=base_url),
                what="an escalation e-mail",
            )

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
            .filter(mine(user=user), Alert.awake(timezone.localdate(now)), status__in=Alert.LIVE)
            .select_related("account", "rule")
            .order_by("-raised_at")[:50]
        )
        if alerts and user.email and user.is_active:
            email_send(
                subject=f"Strata: {len(alerts)} open alert{'s' if len(alerts) != 1 else ''}",
                message=render_to_string(
                    "scorecards/email/digest.txt",
                    {"alerts": alerts, "user": user, "base_url": base_url},
                ),
                to=[user.email],
            )
            sent += 1
        # untracked: a digest's bookkeeping
        AlertPreference.objects.filter(pk=preference.pk).update(digest_sent_on=today)
    return sent

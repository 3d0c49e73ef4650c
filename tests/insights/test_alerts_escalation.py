"""Escalation with time moved forward (no real waiting): an unacknowledged alert goes
from the owner to the owner's manager to the executive sponsor, each e-mailed once
however often the job runs, and stops when acknowledged; resolving and dismissing need
a note; a second worker racing the evaluation raises nothing twice. Only people who may
see the account are told; a line break in an account's name neither breaks its e-mail
nor stops the rest of the batch."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from accounts_app.models import Account, TeamMember, User
from demo.factories import AccountFactory, ContactFactory, TeamMemberFactory, UserFactory
from insights.alerts import escalation, evaluate
from scorecards.alerts import services
from scorecards.alerts.kinds import DEFAULT_PROCEDURE, DEFAULT_STEPS
from scorecards.models import Alert, AlertEvent, AlertPreference, AlertRule, EscalationProcedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule():
    """The detractor rule on the default procedure: owner, then (24 h) the owner's
    manager, then (72 h) the executive sponsor."""
    procedure, _ = EscalationProcedure.objects.get_or_create(name=DEFAULT_PROCEDURE)
    for position, (hours, role) in enumerate(DEFAULT_STEPS, start=1):
        procedure.steps.get_or_create(
            position=position, defaults={"after_hours": hours, "notify": role}
        )
    rule, _ = AlertRule.objects.update_or_create(
        kind="detractor_decision_maker",
        defaults={"name": "Detractor decision maker", "severity": "high", "procedure": procedure},
    )
    return rule


def raise_alert(rule, account) -> Alert:
    ContactFactory(
        account=account, name="Grumpy", buying_role="decision_maker", attitude="detractor"
    )
    evaluate.rule_evaluate(rule=rule)
    return Alert.objects.get(account=account)


@pytest.fixture
def alert(rule, account, owner):
    return raise_alert(rule, account)


@pytest.fixture
def sponsor(account):
    user = UserFactory(username="sponsor", first_name="Sam", last_name="Sponsor")
    TeamMemberFactory(account=account, user=user, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    return user


def run(alert, hours, capture):
    with capture(execute=True):
        return escalation.escalate(
            now=alert.raised_at + timedelta(hours=hours), base_url="https://s.example"
        )


def notified(alert):
    return list(
        AlertEvent.objects.filter(alert=alert, kind="notified").values_list(
            "step", "user__username"
        )
    )


def test_an_unacknowledged_alert_climbs_the_procedure(
    alert, owner, manager, sponsor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert run(alert, 0, capture) == 1  # step 1 at once: the owner
    assert notified(alert) == [(1, "owner")]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "https://s.example/alerts/" in mail.outbox[0].body
    assert "Grumpy" in mail.outbox[0].body

    assert run(alert, 23, capture) == 0  # the manager's step is due at 24 h
    assert run(alert, 24, capture) == 1
    assert run(alert, 24, capture) == 0  # the job again: nobody twice
    assert run(alert, 71, capture) == 0
    assert run(alert, 72, capture) == 1
    assert run(alert, 500, capture) == 0  # no step left
    assert notified(alert) == [(1, "owner"), (2, "mgr"), (3, "sponsor")]
    assert [m.to[0] for m in mail.outbox] == [owner.email, manager.email, sponsor.email]
    alert.refresh_from_db()
    assert alert.escalation_step == 3
    escalations = AlertEvent.objects.filter(alert=alert, kind="escalated")
    assert list(escalations.values_list("step", flat=True)) == [2, 3]


def test_a_late_job_catches_up_on_every_step_due(alert, django_capture_on_commit_callbacks):
    assert run(alert, 100, django_capture_on_commit_callbacks) == 2  # owner and manager
    assert [s for s, _ in notified(alert)] == [1, 2]  # no sponsor on this team


def test_acknowledging_stops_the_escalation(
    alert, owner, manager, sponsor, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    run(alert, 0, capture)
    services.alert_acknowledge(alert=alert, by=owner, note="Calling her on Monday.")
    assert run(alert, 500, capture) == 0
    assert notified(alert) == [(1, "owner")] and len(mail.outbox) == 1
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", owner)
    with pytest.raises(ValidationError):
        services.alert_acknowledge(alert=alert, by=owner)


def test_resolving_and_dismissing_need_a_note(alert, owner):
    with pytest.raises(ValidationError) as exc:
        services.alert_close(alert=alert, by=owner, note="  ")
    assert "note" in exc.value.message_dict
    services.alert_close(alert=alert, by=owner, note="Met her; she is neutral now.")
    alert.refresh_from_db()
    assert (alert.status, alert.close_note, alert.closed_by) == (
        "resolved",
        "Met her; she is neutral now.",
        owner,
    )
    with pytest.raises(ValidationError):
        services.alert_close(alert=alert, by=owner, note="again", dismiss=True)


def test_who_may_act(alert, teammate, manager, executive, outsider):
    assert services.can_act(user=teammate, alert=alert)
    assert services.can_act(user=manager, alert=alert)
    assert not services.can_act(user=executive, alert=alert)
    with pytest.raises(PermissionDenied):
        services.alert_close(alert=alert, by=executive, note="Not mine to say.", dismiss=True)


def test_someone_who_opted_out_gets_no_email_but_is_notified(
    alert, owner, django_capture_on_commit_callbacks
):
    AlertPreference.objects.create(user=owner, email_each=False)
    run(alert, 0, django_capture_on_commit_callbacks)
    assert notified(alert) == [(1, "owner")] and mail.outbox == []


def test_a_second_worker_racing_the_evaluation_raises_nothing_twice(alert, monkeypatch):
    """As if another worker had not yet seen the first's alert: its insert of the same
    (rule, account, subject) meets the unique index and is ignored."""
    rule = alert.rule
    real_filter = Alert.objects.filter

    def blind(*args, **kwargs):
        query = real_filter(*args, **kwargs)
        return query.none() if "status__in" in str(args) + str(kwargs) else query

    monkeypatch.setattr(Alert.objects, "filter", blind)
    result = evaluate.rule_evaluate(rule=rule)
    monkeypatch.undo()
    assert result["raised"] == 0
    assert Alert.objects.filter(rule=rule).count() == 1
    assert AlertEvent.objects.filter(kind="raised").count() == 1


def test_the_daily_digest_goes_once_a_day(alert, owner):
    AlertPreference.objects.create(user=owner, daily_digest=True)
    assert escalation.digest_send(base_url="https://s.example") == 1
    assert escalation.digest_send(base_url="https://s.example") == 0
    assert "1 open alert" in mail.outbox[0].subject and "Grumpy" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_run_skips_an_alert_another_run_is_escalating(alert, owner):
    """Two escalation runs at once: on PostgreSQL the second skips the alert the first
    holds locked (SKIP LOCKED) and takes it later if it is still due (SQLite runs one
    writer at a time: only the second half applies); nobody is notified twice."""
    if connection.vendor == "postgresql":
        locked, release = threading.Event(), threading.Event()

        def other_run():
            with transaction.atomic():
                Alert.objects.select_for_update().get(pk=alert.pk)
                locked.set()
                release.wait(10)
            connections.close_all()

        thread = threading.Thread(target=other_run)
        thread.start()
        try:
            assert locked.wait(10)
            assert escalation.escalate(send=False) == 0  # held by the other run: skipped
        finally:
            release.set()
            thread.join()
    assert escalation.escalate(send=False) == 1
    assert escalation.escalate(send=False) == 0
    assert notified(alert) == [(1, owner.username)]


# --- Who is told, and e-mails that cannot break a batch -----------------------------


def test_an_owners_manager_who_may_not_see_the_account_is_not_told(
    rule, django_capture_on_commit_callbacks
):
    """The owner's `manager` is a plain team member (no manager role): they do not see
    the account, so its escalation skips them — no notification, no e-mail."""
    lead = UserFactory(username="lead", role=User.Role.TEAM_MEMBER)
    owner = UserFactory(username="own", manager=lead)
    account = AccountFactory(name="Hidden Corp", owner=owner)
    assert not Account.objects.visible_to(lead).filter(pk=account.pk).exists()
    alert = raise_alert(rule, account)
    run(alert, 0, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    run(alert, 24, django_capture_on_commit_callbacks)
    assert notified(alert) == [(1, "own")]
    assert mail.outbox == []


def test_an_owners_manager_who_sees_the_account_is_told(
    rule, account, owner, manager, django_capture_on_commit_callbacks
):
    alert = raise_alert(rule, account)
    run(alert, 24, django_capture_on_commit_callbacks)
    assert notified(alert) == [(1, "owner"), (2, "mgr")]
    assert [m.to for m in mail.outbox] == [[owner.email], [manager.email]]


def test_an_account_name_with_a_line_break_is_mailed_on_one_line(
    rule, owner, django_capture_on_commit_callbacks
):
    account = AccountFactory(name="Acme\r\nBcc: victim@example.com", owner=owner)
    alert = raise_alert(rule, account)
    run(alert, 0, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject == "[High] Acme Bcc: victim@example.com: Detractor decision maker"
    assert message.to == [owner.email]
    assert "victim@example.com" not in message.message()["To"]


def test_a_batch_goes_on_after_a_name_with_a_line_break(
    rule, owner, django_capture_on_commit_callbacks
):
    """Two accounts escalated in one batch: the first's name has a newline, the
    second's e-mail still goes."""
    broken = AccountFactory(name="Broken\nName", owner=owner)
    fine = AccountFactory(name="Fine Name", owner=owner)
    raise_alert(rule, broken)
    raise_alert(rule, fine)
    alert = Alert.objects.order_by("pk").last()
    run(alert, 0, django_capture_on_commit_callbacks)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "[High] Broken Name: Detractor decision maker",
        "[High] Fine Name: Detractor decision maker",
    ]


def test_a_message_that_fails_to_send_does_not_stop_the_others(
    rule, owner, django_capture_on_commit_callbacks, monkeypatch
):
    first = AccountFactory(name="First", owner=owner)
    second = AccountFactory(name="Second", owner=owner)
    raise_alert(rule, first)
    raise_alert(rule, second)
    real_email = escalation._email

    def flaky(alert, user, **kwargs):
        if alert.account_id == first.pk:
            raise ConnectionRefusedError("SMTP server went away")
        real_email(alert, user, **kwargs)

    monkeypatch.setattr(escalation, "_email", flaky)
    alert = Alert.objects.order_by("pk").last()
    run(alert, 0, django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["[High] Second: Detractor decision maker"]

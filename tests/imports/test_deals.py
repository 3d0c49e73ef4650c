"""Opportunities (stage by name, the first stage and its probability by default, the
weighted value computed, a stage change recorded) and revenue (one amount per account
and month)."""

from datetime import date
from decimal import Decimal

import pytest

from accounts_app.models import RevenueEntry
from demo.factories import AccountFactory
from opportunities.models import Opportunity, StageChange

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

OPPORTUNITIES = (
    "External id,Account,Name,Value,Stage,Probability %,Close date,Effort (hours)\n"
    "O1,Acme Industrial,Rail retrofit,250k,Propose,,2026-09-30,120\n"
    'O2,Acme Industrial,Spare parts,"40,000",,,,\n'
    "O3,Acme Industrial,Service deal,1.2M,negotiate,55,31.12.2026,\n"
)


def test_opportunities_import(run_import, owner, account):
    dry = run_import(owner, "opportunities", OPPORTUNITIES)
    assert problems(dry) == [] and counts(dry) == (3, 0, 0)
    assert not Opportunity.objects.exists()

    job = run_import(owner, "opportunities", OPPORTUNITIES, apply=True)

    assert counts(job) == (3, 0, 0)
    retrofit, parts, service = (Opportunity.objects.get(external_id=e) for e in ("O1", "O2", "O3"))
    assert retrofit.account == account
    # Stage by name; the stage's default probability when none is given.
    assert (retrofit.stage.name, retrofit.probability) == ("Propose", 60)
    assert (parts.stage.name, parts.probability) == ("Prospect", 10)  # the first stage
    assert (service.stage.name, service.probability) == ("Negotiate", 55)
    # value · probability / 100
    assert retrofit.value == Decimal("250000.00")
    assert retrofit.weighted_value == Decimal("150000.00")
    assert parts.weighted_value == Decimal("4000.00")
    assert service.weighted_value == Decimal("660000.00")
    assert retrofit.close_date == date(2026, 9, 30)
    assert service.close_date == date(2026, 12, 31)
    assert retrofit.effort_hours == Decimal("120")
    assert retrofit.stage_changed_at is not None
    changes = StageChange.objects.order_by("opportunity__external_id")
    assert [(c.opportunity.external_id, c.to_stage.name, c.by) for c in changes] == [
        ("O1", "Propose", owner),
        ("O2", "Prospect", owner),
        ("O3", "Negotiate", owner),
    ]


def test_opportunities_reimport(run_import, owner, account):
    run_import(owner, "opportunities", OPPORTUNITIES, apply=True)
    stamps = dict(Opportunity.objects.values_list("external_id", "updated_at"))

    again = run_import(owner, "opportunities", OPPORTUNITIES, apply=True)

    assert counts(again) == (0, 0, 3)
    assert dict(Opportunity.objects.values_list("external_id", "updated_at")) == stamps
    assert StageChange.objects.count() == 3

    moved = OPPORTUNITIES.replace('Spare parts,"40,000",,', 'Spare parts,"40,000",Develop,')
    job = run_import(owner, "opportunities", moved, apply=True)

    assert counts(job) == (0, 1, 2)
    parts = Opportunity.objects.get(external_id="O2")
    assert (parts.stage.name, parts.probability, parts.weighted_value) == (
        "Develop",
        40,
        Decimal("16000.00"),
    )


def test_opportunity_errors(run_import, owner, account):
    text = (
        "Account,Name,Value,Stage,Close date\n"
        "Acme Industrial,A,10k,Dreaming,\n"
        "Acme Industrial,B,ten,,\n"
        "Acme Industrial,C,,,03/04/2026\n"
        "Nowhere Inc,D,,,\n"
    )

    job = run_import(owner, "opportunities", text)

    assert problems(job) == [
        (
            2,
            "Stage",
            "“Dreaming” is not a stage "
            "(Prospect, Qualify, Develop, Propose, Negotiate, Won, Lost).",
        ),
        (3, "Value", "“ten” is not an amount (write it like 12k, 1.2M or 3,034,500)."),
        (4, "Close date", "“03/04/2026” could be two dates: write it as YYYY-MM-DD."),
        (
            5,
            "Account",
            "Unknown account “Nowhere Inc” (import the accounts first, or check the id).",
        ),
    ]
    assert not Opportunity.objects.exists()


def test_revenue_import(run_import, owner, account):
    AccountFactory(name="Beta", external_id="B-7", owner=owner)
    text = 'Account,Month,Amount\nAcme Industrial,2026-03,12k\nB-7,2026/04,"3,034,500"\n'

    job = run_import(owner, "revenue", text, apply=True)

    assert counts(job) == (2, 0, 0)
    entries = RevenueEntry.objects.order_by("month")
    assert [(e.account.name, e.month, e.amount) for e in entries] == [
        ("Acme Industrial", date(2026, 3, 1), Decimal("12000.00")),
        ("Beta", date(2026, 4, 1), Decimal("3034500.00")),
    ]


def test_revenue_reimport_updates_the_amount(run_import, owner, account):
    text = "Account,Month,Amount\nAcme Industrial,2026-03,12k\nAcme Industrial,2026-04,1k\n"
    run_import(owner, "revenue", text, apply=True)

    job = run_import(owner, "revenue", text.replace(",12k", ",13.5k"), apply=True)

    assert counts(job) == (0, 1, 1)
    assert dict(RevenueEntry.objects.values_list("month", "amount")) == {
        date(2026, 3, 1): Decimal("13500.00"),
        date(2026, 4, 1): Decimal("1000.00"),
    }


def test_the_same_account_and_month_twice_is_refused(run_import, owner, account):
    text = (
        "Account,Month,Amount\n"
        "Acme Industrial,2026-03,12k\n"
        "Acme Industrial,2026-04,1k\n"
        "acme industrial,2026-03-15,2k\n"
    )

    job = run_import(owner, "revenue", text)

    assert problems(job) == [(4, "Month", "Duplicate: row 2 has the same month.")]
    assert not job.applicable
    assert not RevenueEntry.objects.exists()


def test_revenue_errors(run_import, owner, account):
    text = "Account,Month,Amount\nAcme Industrial,March,12k\nAcme Industrial,2026-05,\n"

    job = run_import(owner, "revenue", text)

    assert problems(job) == [
        (2, "Month", "“March” is not a month (write it as YYYY-MM)."),
        (3, "Amount", "This field cannot be null."),
    ]


def test_revenue_keeps_the_revenue_tab_s_rules(run_import, owner, account):
    text = "Account,Month,Amount\nAcme Industrial,2026-05,-12k\nAcme Industrial,2999-01,1k\n"

    job = run_import(owner, "revenue", text)

    assert problems(job) == [
        (2, "Amount", "Revenue cannot be negative: enter 0 for a month without any."),
        (3, "Month", "January 2999 has not begun: record it once it has."),
    ]
    assert not RevenueEntry.objects.exists()

"""Exports of Salesforce and HubSpot, imported with their preset: the columns map
themselves, ids become external ids, references between the files hold."""

from decimal import Decimal

import pytest

from accounts_app.models import Account, Contact, DefaultIndustry, DefaultRegion
from imports.columns import guess_mapping
from imports.models import SavedMapping
from opportunities.models import Opportunity

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

SF_ACCOUNTS = (
    "Id,Name,ParentId,Industry,AnnualRevenue,BillingCountry,Type,OwnerId\n"
    "001A,Umbrella Holdings,,Pharma & life sciences,1200000,United Kingdom,Customer,005X\n"
    "001B,Umbrella Labs,001A,pharma,350000.00,CH,Customer,005X\n"
)
SF_CONTACTS = (
    "Id,AccountId,FirstName,LastName,Title,Email,MailingCity\n"
    "003A,001A,Alice,Wesker,CEO,alice@umbrella.example,London\n"
    "003B,001B,Will,Birkin,Head of R&D,will@umbrella.example,Basel\n"
)
SF_OPPORTUNITIES = (
    "Id,AccountId,Name,Amount,StageName,Probability,CloseDate,LeadSource\n"
    "006A,001A,Vaccine line,500000,Qualify,25,2026-11-30,Web\n"
    "006B,001B,Lab kit,20000,Won,100,2026-02-01,Partner\n"
)


def test_salesforce_exports(run_import, admin_user):
    accounts = run_import(admin_user, "accounts", SF_ACCOUNTS, preset="salesforce", apply=True)
    contacts = run_import(admin_user, "contacts", SF_CONTACTS, preset="salesforce", apply=True)
    deals = run_import(
        admin_user, "opportunities", SF_OPPORTUNITIES, preset="salesforce", apply=True
    )

    assert [counts(j) for j in (accounts, contacts, deals)] == [(2, 0, 0)] * 3
    holdings, labs = (
        Account.objects.get(external_id="001A"),
        Account.objects.get(external_id="001B"),
    )
    assert labs.parent == holdings
    assert holdings.name == "Umbrella Holdings"
    assert holdings.industry.code == labs.industry.code == DefaultIndustry.PHARMA
    assert holdings.annual_revenue == Decimal("1200000.00")
    assert labs.annual_revenue == Decimal("350000.00")
    assert holdings.region.code == labs.region.code == DefaultRegion.WESTERN_EUROPE
    assert holdings.owner == admin_user
    alice = Contact.objects.get(external_id="003A")
    assert (alice.account, alice.name, alice.title, alice.email) == (
        holdings,
        "Alice Wesker",
        "CEO",
        "alice@umbrella.example",
    )
    assert Contact.objects.get(external_id="003B").account == labs
    vaccine = Opportunity.objects.get(external_id="006A")
    assert (vaccine.account, vaccine.name, vaccine.stage.name, vaccine.probability) == (
        holdings,
        "Vaccine line",
        "Qualify",
        25,
    )
    assert vaccine.weighted_value == Decimal("125000.00")
    assert Opportunity.objects.get(external_id="006B").stage.name == "Won"
    # The columns no field takes are listed, not refused.
    assert accounts.ignored_columns == ["Type", "OwnerId"]
    assert contacts.ignored_columns == ["MailingCity"]
    assert deals.ignored_columns == ["LeadSource"]
    # The mapping is remembered for the kind.
    assert SavedMapping.objects.get(kind="accounts").mapping["BillingCountry"] == "region"


HS_COMPANIES = (
    '"Record ID","Company name","Industry","Annual Revenue","Country/Region","Create Date"\n'
    '"9001","Stark Industries","Technology","2.5M","United States","2024-01-02"\n'
    '"9002","Wayne Enterprises","Financial services","","Canada","2024-01-03"\n'
)
HS_CONTACTS = (
    '"Record ID","First Name","Last Name","Job Title","Email","Associated Company ID"\n'
    '"501","Pepper","Potts","CEO","pepper@stark.example","9001"\n'
    '"502","Lucius","Fox","CTO","lucius@wayne.example","9002"\n'
)


def test_hubspot_exports(run_import, admin_user):
    companies = run_import(admin_user, "accounts", HS_COMPANIES, preset="hubspot", apply=True)
    contacts = run_import(admin_user, "contacts", HS_CONTACTS, preset="hubspot", apply=True)

    assert counts(companies) == (2, 0, 0) and counts(contacts) == (2, 0, 0)
    stark = Account.objects.get(external_id="9001")
    wayne = Account.objects.get(external_id="9002")
    assert (stark.name, stark.industry.code, stark.annual_revenue) == (
        "Stark Industries",
        DefaultIndustry.TECHNOLOGY,
        Decimal("2500000.00"),
    )
    assert stark.region.code == wayne.region.code == DefaultRegion.NORTH_AMERICA
    assert wayne.industry.code == DefaultIndustry.FINANCIAL
    assert companies.ignored_columns == ["Create Date"]
    pepper = Contact.objects.get(external_id="501")
    assert (pepper.account, pepper.name, pepper.title, pepper.email) == (
        stark,
        "Pepper Potts",
        "CEO",
        "pepper@stark.example",
    )
    assert Contact.objects.get(external_id="502").account == wayne
    # Importing the exports again changes nothing.
    again = run_import(admin_user, "contacts", HS_CONTACTS, preset="hubspot")
    assert counts(again) == (0, 0, 2) and problems(again) == []


def test_a_preset_maps_what_the_names_alone_would_not():
    headers = ["Id", "AccountId", "FirstName", "LastName", "Title", "Email", "ReportsToId"]

    assert guess_mapping(headers, "contacts", preset="salesforce") == {
        "Id": "external_id",
        "AccountId": "account",
        "FirstName": "first_name",
        "LastName": "last_name",
        "Title": "title",
        "Email": "email",
        "ReportsToId": "reports_to",
    }


def test_a_mapping_given_wins_over_the_guess(run_import, admin_user):
    text = "Company,Sector,Where\nMomCorp,Technology,Mexico\n"

    job = run_import(
        admin_user,
        "accounts",
        text,
        mapping={"Sector": "industry", "Where": "region"},
        apply=True,
    )

    assert counts(job) == (1, 0, 0), (job.message, job.errors)
    mom = Account.objects.get(name="MomCorp")
    assert mom.region.code == DefaultRegion.NORTH_AMERICA
    assert job.mapping == {"Company": "name", "Sector": "industry", "Where": "region"}

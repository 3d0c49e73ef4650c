"""Factories of accounts_app: users, accounts and what hangs off them."""

from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    DefaultIndustry,
    DefaultRegion,
    Industry,
    Interaction,
    LifecycleStage,
    Region,
    Relationship,
    TeamMember,
    User,
)

from .base import ModelFactory

PASSWORD = "strata-test-pass"


class UserFactory(ModelFactory):
    """Signs in with `PASSWORD`; `password=` takes a hash as it is (the seeds share one)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@supplier.example")
    role = User.Role.TEAM_MEMBER
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


def industry_entry(code: str = DefaultIndustry.MANUFACTURING) -> Industry:
    """The entry of a default industry, made if a test's flush took the seeded list."""
    entry, _ = Industry.objects.get_or_create(
        code=code,
        defaults={
            "name": DefaultIndustry(code).label,
            "position": DefaultIndustry.values.index(code) + 1,
        },
    )
    return entry


def region_entry(code: str = DefaultRegion.WESTERN_EUROPE) -> Region:
    """The entry of a default region, made if a test's flush took the seeded list."""
    entry, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": DefaultRegion(code).label,
            "position": DefaultRegion.values.index(code) + 1,
        },
    )
    return entry


class AccountFactory(ModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    industry = factory.LazyFunction(industry_entry)
    region = factory.LazyFunction(region_entry)
    lifecycle_stage = LifecycleStage.DEVELOPMENT
    annual_revenue = Decimal("1000000.00")
    wallet_estimate = Decimal("4000000.00")
    gross_margin_pct = Decimal("32.50")
    strategic_value = 3
    owner = None

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """An industry or region may be given by its code (`region="asia_pacific"`)."""
        if isinstance(kwargs.get("industry"), str):
            kwargs["industry"] = industry_entry(kwargs["industry"])
        if isinstance(kwargs.get("region"), str):
            kwargs["region"] = region_entry(kwargs["region"])
        return kwargs

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        """`AccountFactory(owner=u)` puts u on the team as owner, as the service would."""
        if create and obj.owner_id and not obj.team_members.filter(user=obj.owner).exists():
            TeamMember.objects.create(account=obj, user=obj.owner, role=TeamMember.Role.OWNER)


class BusinessUnitFactory(ModelFactory):
    class Meta:
        model = BusinessUnit

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Division {n}")


class ContactFactory(ModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Faker("name")
    title = "Head of Procurement"
    level = Contact.Level.SENIOR
    buying_role = Contact.BuyingRole.RECOMMENDER
    attitude = Contact.Attitude.NEUTRAL


class TeamMemberFactory(ModelFactory):
    class Meta:
        model = TeamMember

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMember.Role.SALES


class RelationshipFactory(ModelFactory):
    class Meta:
        model = Relationship
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    user = factory.SubFactory(UserFactory)
    strength = 2

    @factory.post_generation
    def on_team(obj, create, extracted, **kwargs):
        if create:
            TeamMember.objects.get_or_create(account=obj.contact.account, user=obj.user)


class InteractionFactory(ModelFactory):
    class Meta:
        model = Interaction

    account = factory.SubFactory(AccountFactory)
    kind = Interaction.Kind.MEETING
    date = factory.Faker("date_between", start_date="-60d", end_date="today")


class AccountSnapshotFactory(ModelFactory):
    """A stored snapshot row as the nightly job leaves it; today's unless `date=`."""

    class Meta:
        model = AccountSnapshot

    account = factory.SubFactory(AccountFactory)
    date = factory.LazyFunction(timezone.localdate)
    computed_at = factory.LazyFunction(timezone.now)

"""factory_boy factories for the domain. Build the cast of a test from these."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    Industry,
    Interaction,
    LifecycleStage,
    Region,
    Relationship,
    TeamMember,
    User,
)

PASSWORD = "strata-test-pass"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@supplier.example")
    role = User.Role.TEAM_MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    industry = Industry.MANUFACTURING
    region = Region.WESTERN_EUROPE
    lifecycle_stage = LifecycleStage.DEVELOPMENT
    annual_revenue = Decimal("1000000.00")
    wallet_estimate = Decimal("4000000.00")
    gross_margin_pct = Decimal("32.50")
    strategic_value = 3
    owner = None

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        """`AccountFactory(owner=u)` puts u on the team as owner, as the service would."""
        if create and obj.owner_id and not obj.team_members.filter(user=obj.owner).exists():
            TeamMember.objects.create(account=obj, user=obj.owner, role=TeamMember.Role.OWNER)


class BusinessUnitFactory(DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Division {n}")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Faker("name")
    title = "Head of Procurement"
    level = Contact.Level.SENIOR
    buying_role = Contact.BuyingRole.RECOMMENDER
    attitude = Contact.Attitude.NEUTRAL


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = TeamMember

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMember.Role.SALES


class RelationshipFactory(DjangoModelFactory):
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


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    account = factory.SubFactory(AccountFactory)
    kind = Interaction.Kind.MEETING
    date = factory.Faker("date_between", start_date="-60d", end_date="today")

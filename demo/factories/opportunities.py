"""Factories of opportunities. The stages and criteria are seeded (`ensure_defaults()`):
`StageFactory(name="Won")` returns the seeded stage. `OpportunityFactory(account=a,
by=u)` goes through `opportunity_create` (the stage's probability, the owner, the stored
figures and the first stage change, as the services compute them); `.build()` gives a
plain unsaved row, as `seed_bench` writes them in bulk."""

from decimal import Decimal

import factory

from opportunities import services
from opportunities.models import (
    Opportunity,
    ProductLine,
    QualificationAnswer,
    QualificationCriterion,
    ScoreChange,
    Stage,
    StageChange,
)

from .accounts import AccountFactory
from .base import ModelFactory


class StageFactory(ModelFactory):
    class Meta:
        model = Stage
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n + 100)
    default_probability = 50


class ProductLineFactory(ModelFactory):
    """A product line of the catalogue; one of that name if it exists already."""

    class Meta:
        model = ProductLine
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Product line {n}")


class OpportunityFactory(ModelFactory):
    """Created by `by` (else the account's owner), in the first stage unless `stage=` or
    `stage_name=` (a lost one lost to no decision unless told otherwise); `yes=n` answers
    the first n criteria "yes" (each worth 12.5 of the eight) through `qualification_set`."""

    class Meta:
        model = Opportunity

    class Params:
        stage_name = None

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Opportunity {n}")
    value = Decimal("100000")
    stage = factory.LazyAttribute(
        lambda o: Stage.objects.get(name=o.stage_name) if o.stage_name else None
    )

    @classmethod
    def _create(cls, model_class, *args, account, by=None, yes=0, **fields):
        by = by or account.owner
        if fields.get("stage") is None:
            fields.pop("stage", None)  # the service's first stage
        elif fields["stage"].outcome == Stage.Outcome.LOST and not (
            fields.get("lost_to") or fields.get("no_decision")
        ):
            # Closed as lost says why (DESIGN §13): a test that does not care gets this.
            fields.setdefault("no_decision", True)
            fields.setdefault("loss_reason", "The customer decided nothing this year.")
        opportunity = services.opportunity_create(account=account, by=by, **fields)
        if yes:
            ids = QualificationCriterion.objects.order_by("position", "id").values_list(
                "pk", flat=True
            )
            services.qualification_set(
                opportunity=opportunity, by=by, answers={pk: 2 for pk in list(ids)[:yes]}
            )
        return opportunity


class QualificationAnswerFactory(ModelFactory):
    class Meta:
        model = QualificationAnswer

    opportunity = factory.SubFactory(OpportunityFactory)
    answer = QualificationAnswer.Answer.YES


class ScoreChangeFactory(ModelFactory):
    class Meta:
        model = ScoreChange

    opportunity = factory.SubFactory(OpportunityFactory)


class StageChangeFactory(ModelFactory):
    class Meta:
        model = StageChange

    opportunity = factory.SubFactory(OpportunityFactory)
    to_stage = factory.SelfAttribute("opportunity.stage")

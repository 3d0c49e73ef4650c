"""What the opportunity tests share: the page's text as a person reads it, and a quick
way to make an opportunity in a given stage, qualified to a given score."""

import re
from decimal import Decimal

from opportunities import services
from opportunities.models import QualificationCriterion, Stage


def text(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def stage(name: str) -> Stage:
    return Stage.objects.get(name=name)


def make(account, by, name, *, stage_name=None, yes=0, **fields):
    """An opportunity; `yes` criteria answered "yes" (each worth 12.5 of the eight)."""
    fields.setdefault("value", Decimal("100000"))
    if stage_name:
        fields["stage"] = stage(stage_name)
    opportunity = services.opportunity_create(account=account, by=by, name=name, **fields)
    if yes:
        ids = QualificationCriterion.objects.order_by("position", "id").values_list("pk", flat=True)
        services.qualification_set(
            opportunity=opportunity, by=by, answers={pk: 2 for pk in list(ids)[:yes]}
        )
    return opportunity

"""Writes of the risk register: a risk added or changed by the account team (the owner
one of the team), each change in its history with who made it. A risk is closed, never
deleted: the register keeps what was feared and what was done."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import Account, User
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Risk

RISK_FIELDS = (
    "title",
    "category",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "due_date",
    "status",
)


def _require_edit(user: User, account: Account) -> None:
    if not account.editable_by(user):
        raise PermissionDenied("Only the account team changes its risk register.")


def _check_owner(risk: Risk) -> None:
    owner = risk.owner
    if owner is not None and not risk.account.team_members.filter(user=owner).exists():
        raise ValidationError({"owner": f"{owner} is not on the account team."})


@records_actor
@transaction.atomic
def risk_create(*, account: Account, by: User, **fields) -> Risk:
    _require_edit(by, account)
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"Not risk fields: {', '.join(sorted(unknown))}")
    risk = Risk(account=account, **fields)
    risk.full_clean(exclude=["score"])
    _check_owner(risk)
    risk.save()
    recompute_later(account.pk)
    return risk


@records_actor
@transaction.atomic
def risk_update(*, risk: Risk, by: User, **fields) -> Risk:
    _require_edit(by, risk.account)
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"Not risk fields: {', '.join(sorted(unknown))}")
    risk = Risk.objects.select_for_update().select_related("account").get(pk=risk.pk)
    for name, value in fields.items():
        setattr(risk, name, value)
    risk.full_clean(exclude=["score"])
    if "owner" in fields:
        _check_owner(risk)
    risk.save()
    recompute_later(risk.account_id)
    return risk

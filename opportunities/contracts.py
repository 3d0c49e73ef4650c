"""Writes of contracts and their renewal (DESIGN §13). A contract is added and changed by
the account team (its status changes are in its history); the renewal opportunity
(kind `renewal`, value = the annual value, closing on the end date) is opened
STRATA_RENEWAL_LEAD_DAYS before the end, exactly once per contract: by the daily job,
or at once when a contract is saved already inside that window. Opening it and linking
it are one transaction under a lock on the contract, so a second run, or a run in
another worker, or a run killed midway, opens nothing twice and leaves no orphan."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from core.history import records_actor

from .models import Contract, Opportunity, Stage, StageChange
from .services import ensure_defaults, refresh_figures


def _require_edit(by: User, account: Account) -> None:
    if not account.editable_by(by):
        raise PermissionDenied("Only the account team changes its contracts.")


@records_actor
@transaction.atomic
def contract_create(*, account: Account, by: User, **fields) -> Contract:
    _require_edit(by, account)
    contract = Contract(account=account, **fields)
    contract.full_clean()
    contract.save()
    if renewal_open_if_due(contract_id=contract.pk):
        contract.refresh_from_db(fields=["renewal_opportunity", "updated_at"])
    return contract


@records_actor
@transaction.atomic
def contract_update(*, contract: Contract, by: User, **fields) -> Contract:
    _require_edit(by, contract.account)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.full_clean()
    contract.save()
    if renewal_open_if_due(contract_id=contract.pk):
        contract.refresh_from_db(fields=["renewal_opportunity", "updated_at"])
    return contract


def renewal_due(contract: Contract, today: date) -> bool:
    """Active, not renewed yet, and within the lead time of its end (not past it)."""
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    return (
        contract.status == Contract.Status.ACTIVE
        and contract.renewal_opportunity_id is None
        and contract.end_date - lead <= today <= contract.end_date
    )


def renewal_open_if_due(*, contract_id: int, today: date | None = None) -> Opportunity | None:
    """Open and link the contract's renewal opportunity if it is due and not open yet."""
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update()
            .select_related("account")
            .filter(pk=contract_id)
            .first()
        )
        if contract is None or contract.account.archived or not renewal_due(contract, today):
            return None
        ensure_defaults()
        stage = Stage.objects.order_by("position").first()
        account = contract.account
        owner = account.owner if _on_team(account, account.owner_id) else None
        opportunity = Opportunity(
            account=account,
            name=f"Renewal: {contract.name}"[:200],
            kind=Opportunity.Kind.RENEWAL,
            value=contract.annual_value,
            close_date=contract.end_date,
            stage=stage,
            probability=stage.default_probability,
            owner=owner,
            stage_changed_at=timezone.now(),
        )
        refresh_figures(opportunity, score=None)
        opportunity.full_clean()
        opportunity.save()
        StageChange.objects.create(opportunity=opportunity, to_stage=stage, by=None)
        contract.renewal_opportunity = opportunity
        contract.save(update_fields=["renewal_opportunity", "updated_at"])
    return opportunity


def _on_team(account: Account, user_id: int | None) -> bool:
    return bool(user_id) and TeamMember.objects.filter(account=account, user_id=user_id).exists()


def renewals_open(*, today: date | None = None) -> int:
    """The daily job: every due contract's renewal opportunity, opened once. Returns how
    many were opened."""
    today = today or timezone.localdate()
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    due = Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        renewal_opportunity__isnull=True,
        end_date__gte=today,
        end_date__lte=today + lead,
        account__archived=False,
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if renewal_open_if_due(contract_id=pk, today=today))

"""Writes of contracts and their renewal (DESIGN §13). A contract is added and changed by
the account team (its status changes are in its history); the renewal opportunity
(kind `renewal`, value = the annual value, closing on the end date) is opened
STRATA_RENEWAL_LEAD_DAYS before the end, exactly once per contract: by the daily job,
or at once when a contract is saved already inside that window. Opening it and linking
it are one transaction under a lock on the contract, so a second run, or a run in
another worker, or a run killed midway, opens nothing twice and leaves no orphan. The job
does it for many contracts at once (bench/README.md: 800 due at 10,000 accounts)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from core import history
from core.history import records_actor
from core.jobs import recompute_batched

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
        [opportunity] = _open([contract])
    return opportunity


# Contracts opened per transaction by the daily job.
BATCH = 200


def renewals_open(*, today: date | None = None) -> int:
    """The daily job: every due contract's renewal opportunity, opened once. Returns how
    many were opened.

    A batch of due contracts at a time, each batch one transaction: the contracts are
    read locked (FOR UPDATE, in id order), their opportunities and first stage changes
    inserted in bulk, the links written in one statement. A run that meets a contract
    another run (or a save) holds waits for it, then finds it linked and leaves it; a
    run killed midway loses its open batch whole, which the next run opens."""
    today = today or timezone.localdate()
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    due = Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        renewal_opportunity__isnull=True,
        end_date__gte=today,
        end_date__lte=today + lead,
        account__archived=False,
    )
    opened, after = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                due.filter(pk__gt=after)
                .select_for_update(of=("self",))
                .select_related("account")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return opened
            opened += len(_open(batch))
        after = batch[-1].pk


def _open(contracts: list[Contract]) -> list[Opportunity]:
    """Open and link the renewal opportunity of each of `contracts` (due, read under a
    lock with their accounts, in the caller's transaction): the first stage, the annual
    value, closing on the end date, owned by the account's owner if on its team."""
    ensure_defaults()
    stage = Stage.objects.order_by("position").first()
    accounts = {c.account_id for c in contracts}
    owners_on_team = set(
        TeamMember.objects.filter(account_id__in=accounts, user_id=F("account__owner_id"))
        .values_list("account_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    opportunities = []
    with recompute_batched():  # each account's recompute queued once
        for contract in contracts:
            account = contract.account
            opportunity = Opportunity(
                account=account,
                name=f"Renewal: {contract.name}"[:200],
                kind=Opportunity.Kind.RENEWAL,
                value=contract.annual_value,
                close_date=contract.end_date,
                stage=stage,
                probability=stage.default_probability,
                owner_id=account.owner_id if account.pk in owners_on_team else None,
                stage_changed_at=now,
            )
            refresh_figures(opportunity, score=None)
            # Its relations were just read (the account under the lock): not again.
            opportunity.full_clean(
                exclude=["account", "stage", "owner"], validate_constraints=False
            )
            opportunities.append(opportunity)
    history.bulk_create(Opportunity, opportunities)
    # untracked: StageChange is itself the stage history
    StageChange.objects.bulk_create(
        StageChange(opportunity=opportunity, to_stage=stage, by=None)
        for opportunity in opportunities
    )
    _link(contracts, opportunities, now)
    return opportunities


def _link(contracts: list[Contract], opportunities: list[Opportunity], now) -> None:
    for contract, opportunity in zip(contracts, opportunities, strict=True):
        contract.renewal_opportunity = opportunity
        contract.updated_at = now
    history.bulk_update(Contract, contracts, ["renewal_opportunity", "updated_at"])

"""Writes of opportunities: create and update (stage history, probability defaulting
from the stage), qualification answers (score history), and the derived figures kept
on the row (score, weighted value, ROE) so lists sort and filter by them in SQL."""

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, BusinessUnit, TeamMember, User
from accounts_app.selectors import can_edit_account
from core import history
from core.archive import archive, restore
from core.history import records_actor
from core.jobs import recompute_later

from . import formulas
from .defaults import CRITERIA, STAGES
from .formulas import WHITESPACE
from .models import (
    Competitor,
    CompetitorPresence,
    Opportunity,
    ProductLine,
    QualificationAnswer,
    QualificationCriterion,
    ScoreChange,
    Stage,
    StageChange,
    WhitespaceCell,
)
from .selectors import is_stalled as is_stalled  # the rule is formulas.is_stalled
from .selectors import on_account_team

FIELDS = Opportunity.INPUT_FIELDS


def ensure_defaults() -> None:
    """The stages and criteria of DESIGN §3 where none exist (a flushed database)."""
    if not Stage.objects.exists():
        for position, (name, probability, stall, outcome) in enumerate(STAGES, start=1):
            Stage.objects.create(
                name=name,
                position=position,
                default_probability=probability,
                stall_days=stall,
                outcome=outcome,
            )
    if not QualificationCriterion.objects.exists():
        for position, (text, help_text) in enumerate(CRITERIA, start=1):
            QualificationCriterion.objects.create(text=text, help_text=help_text, position=position)


def _require_edit(by: User, account: Account) -> None:
    if not can_edit_account(user=by, account=account):
        raise PermissionDenied("Only the account team changes its opportunities.")


def _check(opportunity: Opportunity, *, owner_changed: bool = True) -> None:
    errors = {}
    account = opportunity.account
    if (
        owner_changed
        and opportunity.owner_id
        and not TeamMember.objects.filter(account=account, user_id=opportunity.owner_id).exists()
    ):
        errors["owner"] = "The owner is on the account team."
    if opportunity.business_unit_id and opportunity.business_unit.account_id != account.pk:
        errors["business_unit"] = "Choose a business unit of this account."
    if errors:
        raise ValidationError(errors)


def _check_loss(opportunity: Opportunity) -> None:
    """Closing an opportunity as lost says to whom (a competitor, or no decision) and why
    (DESIGN §13); a won or open one carries no loss."""
    if opportunity.stage.outcome != Stage.Outcome.LOST:
        opportunity.lost_to, opportunity.no_decision, opportunity.loss_reason = None, False, ""
        return
    errors = {}
    if opportunity.lost_to_id and opportunity.no_decision:
        errors["lost_to"] = "Lost to a competitor or to no decision: not both."
    elif not opportunity.lost_to_id and not opportunity.no_decision:
        errors["lost_to"] = "Say who it was lost to, or that the customer decided nothing."
    if not opportunity.loss_reason.strip():
        errors["loss_reason"] = "Say why it was lost: the next team will want to know."
    if errors:
        raise ValidationError(errors)


def refresh_figures(opportunity: Opportunity, score=...) -> Opportunity:
    """Recompute the derived figures stored on the row (score only if given); the
    account's snapshot (pipeline) follows once saved."""
    recompute_later(opportunity.account_id)
    if score is not ...:
        opportunity.qualification_score = score
    opportunity.weighted_value = formulas.weighted_value(opportunity.value, opportunity.probability)
    opportunity.roe = formulas.return_on_effort(
        opportunity.weighted_value,
        opportunity.gross_margin_pct,
        opportunity.effort_hours,
        settings.STRATA_HOURLY_COST_RATE,
    )
    return opportunity


@records_actor
@transaction.atomic
def opportunity_create(*, account: Account, by: User, **data) -> Opportunity:
    _require_edit(by, account)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not opportunity fields: {sorted(unknown)}")
    ensure_defaults()
    data.setdefault("stage", Stage.objects.order_by("position").first())
    if data.get("probability") is None:
        data["probability"] = data["stage"].default_probability
    if data.get("owner") is None:  # the one who adds it, if on the team
        data["owner"] = by if on_account_team(user=by, account=account) else None
    opportunity = Opportunity(account=account, stage_changed_at=timezone.now(), **data)
    _check(opportunity)
    _check_loss(opportunity)
    refresh_figures(opportunity, score=_score(opportunity, {}))
    opportunity.full_clean()
    opportunity.save()
    StageChange.objects.create(opportunity=opportunity, to_stage=opportunity.stage, by=by)
    return opportunity


@records_actor
@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, by: User, **data) -> Opportunity:
    """Change fields; a new stage is recorded in the history and, unless a probability
    is given too, brings its default probability."""
    _require_edit(by, opportunity.account)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not opportunity fields: {sorted(unknown)}")
    old_stage_id, old_owner_id = opportunity.stage_id, opportunity.owner_id
    for field, value in data.items():
        setattr(opportunity, field, value)
    moved = opportunity.stage_id != old_stage_id
    if moved:
        opportunity.stage_changed_at = timezone.now()
        if data.get("probability") is None:
            opportunity.probability = opportunity.stage.default_probability
    elif "probability" in data and data["probability"] is None:
        opportunity.probability = opportunity.stage.default_probability
    # An owner who has left the team keeps the opportunity until someone hands it on.
    _check(opportunity, owner_changed=opportunity.owner_id != old_owner_id)
    # Moving to a lost stage needs the loss said; one lost before the rule keeps its row.
    if (
        moved
        or opportunity.stage.outcome != Stage.Outcome.LOST
        or {
            "lost_to",
            "no_decision",
            "loss_reason",
        }
        & set(data)
    ):
        _check_loss(opportunity)
    refresh_figures(opportunity)
    opportunity.full_clean()
    opportunity.save()
    if moved:
        StageChange.objects.create(
            opportunity=opportunity, from_stage_id=old_stage_id, to_stage=opportunity.stage, by=by
        )
    return opportunity


def _criteria() -> list[formulas.Criterion]:
    return [
        formulas.Criterion(key=pk, weight=weight, active=active)
        for pk, weight, active in QualificationCriterion.objects.values_list(
            "pk", "weight", "active"
        )
    ]


def _score(opportunity: Opportunity, answers: Mapping[int, int] | None = None):
    if answers is None:
        answers = dict(opportunity.answers.values_list("criterion_id", "answer"))
    return formulas.qualification_score(_criteria(), answers)


@records_actor
@transaction.atomic
def qualification_set(*, opportunity: Opportunity, by: User, answers: Mapping) -> Opportunity:
    """Record answers ({criterion id: 0, 1 or 2}); the score is recomputed and its
    history grows when it changes. Unknown criteria and other answers are field errors
    (keyed by criterion id); nothing is saved then."""
    _require_edit(by, opportunity.account)
    known = set(QualificationCriterion.objects.values_list("pk", flat=True))
    errors, clean = {}, {}
    for key, answer in answers.items():
        try:
            criterion = int(key)
        except (TypeError, ValueError):
            errors[str(key)] = "Unknown criterion."
            continue
        if criterion not in known:
            errors[str(key)] = "Unknown criterion."
        elif isinstance(answer, bool) or answer not in (0, 1, 2):
            errors[str(key)] = "Answer 0 (no / unknown), 1 (partly) or 2 (yes)."
        else:
            clean[criterion] = answer
    if errors:
        raise ValidationError(errors)
    for criterion, answer in clean.items():
        QualificationAnswer.objects.update_or_create(
            opportunity=opportunity, criterion_id=criterion, defaults={"answer": answer}
        )
    score = _score(opportunity)
    if score != opportunity.qualification_score:
        ScoreChange.objects.create(opportunity=opportunity, score=score, by=by)
    refresh_figures(opportunity, score=score)
    history.save_derived(
        opportunity, ["qualification_score", "weighted_value", "roe", "updated_at"]
    )
    return opportunity


@records_actor
@transaction.atomic
def opportunity_archive(*, opportunity: Opportunity, by: User) -> Opportunity:
    """What deleting an opportunity does (DESIGN §11): it leaves the pipeline, the board,
    the whitespace matrix, the figures and the alerts; its answers and histories are
    kept and come back on restore. The account team's and an admin's to do."""
    _require_edit(by, opportunity.account)
    if archive(opportunity, by=by):
        recompute_later(opportunity.account_id)
    return opportunity


@records_actor
@transaction.atomic
def opportunity_restore(*, opportunity: Opportunity, by: User) -> Opportunity:
    _require_edit(by, opportunity.account)
    if restore(opportunity, by=by):
        recompute_later(opportunity.account_id)
    return opportunity


SCORE_BATCH = 2000


def qualification_scores_refresh() -> int:
    """Recompute every opportunity's stored score after the criteria changed (weights,
    active flags, a criterion added or removed), in batches; returns how many changed.
    The score history records answers, not changes of the questionnaire."""
    criteria = _criteria()
    changed = 0
    ids = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), SCORE_BATCH):
        batch = ids[start : start + SCORE_BATCH]
        answers: dict[int, dict[int, int]] = {pk: {} for pk in batch}
        for opportunity_id, criterion_id, answer in QualificationAnswer.objects.filter(
            opportunity_id__in=batch
        ).values_list("opportunity_id", "criterion_id", "answer"):
            answers[opportunity_id][criterion_id] = answer
        rows = list(Opportunity.objects.filter(pk__in=batch).only("pk", "qualification_score"))
        stale = []
        for row in rows:
            score = formulas.qualification_score(criteria, answers[row.pk])
            if score != row.qualification_score:
                row.qualification_score = score
                stale.append(row)
        # untracked: the score is derived from the answers, whose changes are recorded.
        Opportunity.objects.bulk_update(stale, ["qualification_score"], batch_size=SCORE_BATCH)
        changed += len(stale)
    return changed


def qualification_scores_refresh_later() -> None:
    """Queue the recompute once the criteria change is committed (a Celery job)."""
    from .tasks import refresh_qualification_scores

    transaction.on_commit(refresh_qualification_scores.delay)


CELL_STATES = (WHITESPACE, *WhitespaceCell.State.values)


@records_actor
@transaction.atomic
def whitespace_cell_set(
    *,
    account: Account,
    product_line: ProductLine,
    business_unit: BusinessUnit,
    state: str,
    revenue: Decimal | None = None,
    by: User,
) -> WhitespaceCell | None:
    """Record what the team knows of one cell of the whitespace matrix: sold (with the
    annual revenue of what is sold there), not applicable, or whitespace again (the
    record goes). Open opportunities are read from the pipeline, never recorded here."""
    _require_edit(by, account)
    errors = {}
    if state not in CELL_STATES:
        errors["state"] = "Choose whitespace, sold or not applicable."
    if business_unit.account_id != account.pk:
        errors["business_unit"] = "Choose a business unit of this account."
    if state == WhitespaceCell.State.SOLD:
        if revenue is None:
            errors["revenue"] = "Enter the annual revenue of what is sold here."
        elif revenue < 0:
            errors["revenue"] = "Revenue cannot be negative."
        elif revenue >= Decimal("1e12"):
            errors["revenue"] = "Revenue is at most 999,999,999,999.99."
    if errors:
        raise ValidationError(errors)
    where = {"account": account, "product_line": product_line, "business_unit": business_unit}
    if state == WHITESPACE:
        WhitespaceCell.objects.filter(**where).delete()
        return None
    # update_or_create retries as an update when another request created the row first.
    cell, _ = WhitespaceCell.objects.update_or_create(
        **where,
        defaults={
            "state": state,
            "revenue": revenue if state == WhitespaceCell.State.SOLD else None,
        },
    )
    return cell


# --- Competitors ------------------------------------------------------------------------


@records_actor
@transaction.atomic
def competitor_presence_add(
    *,
    account: Account,
    by: User,
    competitor: Competitor,
    business_unit=None,
    product_line=None,
    notes: str = "",
) -> CompetitorPresence:
    """Record where a competitor is present at the account (the team's to write)."""
    _require_edit(by, account)
    if business_unit is not None and business_unit.account_id != account.pk:
        raise ValidationError({"business_unit": "Choose a business unit of this account."})
    if CompetitorPresence.objects.filter(
        account=account,
        competitor=competitor,
        business_unit=business_unit,
        product_line=product_line,
    ).exists():
        raise ValidationError(
            {"competitor": f"{competitor} is already recorded there at {account}."}
        )
    presence = CompetitorPresence(
        account=account,
        competitor=competitor,
        business_unit=business_unit,
        product_line=product_line,
        notes=notes,
    )
    presence.full_clean()
    presence.save()
    return presence


@records_actor
@transaction.atomic
def competitor_presence_remove(*, presence: CompetitorPresence, by: User) -> None:
    """The competitor has gone from there: the row goes, its history stays (with who)."""
    _require_edit(by, presence.account)
    presence.delete()

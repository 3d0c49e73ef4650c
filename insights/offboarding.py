"""Offboarding (DESIGN §11): a leaver is deactivated and their work handed to a named
successor in one transaction — the accounts they own, their open tactics, open review
action items, live alerts and open opportunities — and the hand-over is recorded."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import Account, Offboarding, TeamMember, User
from core import history
from opportunities.models import Opportunity
from plans.models import ReviewActionItem, Tactic
from scorecards.models import Alert


def offboarding_preview(*, user: User) -> dict:
    """What a leaver's offboarding would hand over, counted (the page shows it first)."""
    return {
        "accounts": list(
            Account.objects.filter(
                team_members__user=user, team_members__role=TeamMember.Role.OWNER
            ).values_list("name", flat=True)
        ),
        "tactics": Tactic.objects.filter(owner=user, status__in=Tactic.OPEN_STATUSES).count(),
        "action_items": ReviewActionItem.objects.filter(owner=user, done=False).count(),
        "alerts": Alert.objects.filter(assignee=user, status__in=Alert.LIVE).count(),
        "opportunities": Opportunity.objects.filter(owner=user, stage__outcome="open").count(),
    }


def user_offboard(*, user: User, successor: User, by: User) -> Offboarding:
    if not (by.is_active and by.is_admin_role):
        raise PermissionDenied("Only admins offboard people.")
    if successor.pk == user.pk:
        raise ValidationError({"successor": "Choose someone other than the leaver."})
    if not successor.is_active:
        raise ValidationError({"successor": "The successor must be an active user."})
    with transaction.atomic(), history.acting_as(by):
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ValidationError({"user": f"{user} has left already."})
        owned = list(
            Account.objects.filter(
                team_members__user=user, team_members__role=TeamMember.Role.OWNER
            ).values_list("pk", flat=True)
        )
        for account_id in owned:
            history.update(
                TeamMember.objects.filter(account_id=account_id, user=user),
                by=by,
                role=TeamMember.Role.SALES,
            )
            member, _ = TeamMember.objects.get_or_create(
                account_id=account_id, user=successor, defaults={"role": TeamMember.Role.OWNER}
            )
            if member.role != TeamMember.Role.OWNER:
                member.role = TeamMember.Role.OWNER
                member.save(update_fields=["role"])
        history.update(Account.objects.filter(pk__in=owned), by=by, owner=successor)
        opportunity_accounts = set(
            Opportunity.objects.filter(owner=user, stage__outcome="open").values_list(
                "account_id", flat=True
            )
        )
        for account_id in opportunity_accounts - set(owned):
            TeamMember.objects.get_or_create(
                account_id=account_id, user=successor, defaults={"role": TeamMember.Role.SALES}
            )
        # A tactic's version moves on, so an edit made with the old owner is refused.
        tactics = list(Tactic.objects.filter(owner=user, status__in=Tactic.OPEN_STATUSES))
        for tactic in tactics:
            tactic.owner, tactic.version = successor, tactic.version + 1
        history.bulk_update(Tactic, tactics, ["owner", "version"], by=by)
        handed = {
            "accounts": owned,
            "tactics": len(tactics),
            "action_items": history.update(
                ReviewActionItem.objects.filter(owner=user, done=False), by=by, owner=successor
            ),
            # untracked: the Offboarding record lists what was handed over
            "alerts": Alert.objects.filter(assignee=user, status__in=Alert.LIVE).update(
                assignee=successor
            ),
            "opportunities": history.update(
                Opportunity.objects.filter(owner=user, stage__outcome="open"),
                by=by,
                owner=successor,
            ),
        }
        user.is_active = False
        user.save(update_fields=["is_active"])
        return Offboarding.objects.create(user=user, successor=successor, by=by, handed_over=handed)

"""Coaching comments on a plan and the in-app notifications they (and the life cycle)
raise."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from core.history import records_actor

from ..models import Notification, Plan, PlanComment
from ..selectors import can_resolve_comments


def _team_users(plan: Plan) -> list[int]:
    return list(TeamMember.objects.filter(account=plan.account).values_list("user_id", flat=True))


def _coach_users(plan: Plan) -> list[int]:
    """The managers of the team's members: those who coach the account."""
    return list(
        User.objects.filter(reports__team_memberships__account=plan.account, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _notify(user_ids, *, plan, text, by, comment=None, transition=None) -> None:
    """Notify those who may see the plan (never its author): a notification quotes it."""
    candidates = [pk for pk in dict.fromkeys(user_ids) if pk != by.pk]
    allowed = [
        user
        for user in User.objects.filter(pk__in=candidates, is_active=True)
        if Account.objects.visible_to(user).filter(pk=plan.account_id).exists()
    ]
    # untracked: notifications are messages, not domain records
    Notification.objects.bulk_create(
        Notification(user=user, plan=plan, text=text[:300], comment=comment, transition=transition)
        for user in allowed
    )


def _notify_team(plan, step, text):
    _notify(_team_users(plan), plan=plan, text=text, by=step.by, transition=step)


def _notify_coaches(plan, step, text):
    _notify(_coach_users(plan), plan=plan, text=text, by=step.by, transition=step)


@records_actor
@transaction.atomic
def comment_add(
    *, plan: Plan, by: User, text: str, section: str = PlanComment.Section.GENERAL, parent=None
) -> PlanComment:
    """The team, its coaches and admins comment (the plan was loaded for `by`, so they
    see it); executives read. Replies thread under their parent."""
    if not can_resolve_comments(user=by, plan=plan):
        raise PermissionDenied("The account team and its coaches comment on the plan.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the comment."})
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": "Reply to a comment of this plan."})
    comment = PlanComment(plan=plan, section=section, parent=parent, author=by, text=text)
    comment.full_clean()
    comment.save()
    recipients = set(_team_users(plan)) | set(_coach_users(plan))
    if parent is not None and parent.author_id:
        recipients.add(parent.author_id)
    _notify(
        recipients,
        plan=plan,
        by=by,
        comment=comment,
        text=f"{by.name} commented on {comment.get_section_display().lower()} of the "
        f"{plan.label} plan of {plan.account}: {text[:120]}",
    )
    return comment


@records_actor
def comment_resolve(*, comment: PlanComment, by: User, resolved: bool = True) -> PlanComment:
    if not can_resolve_comments(user=by, plan=comment.plan):
        raise PermissionDenied("The team and its coaches resolve comments.")
    comment.resolved = resolved
    comment.resolved_by = by if resolved else None
    comment.resolved_at = timezone.now() if resolved else None
    comment.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return comment


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

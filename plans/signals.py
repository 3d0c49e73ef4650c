"""Keep the stored plan quality current when what it reads outside the plan changes:
decision makers (contacts), their relationships, the team (tactic owners)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts_app.models import Contact, Relationship, TeamMember
from core.periods import fiscal_year

from .models import Plan
from .services import plan_quality_refresh


def _refresh_account_plans(account_id) -> None:
    for plan in Plan.objects.filter(account_id=account_id, period__gte=fiscal_year()):
        plan_quality_refresh(plan=plan)


@receiver([post_save, post_delete], sender=Contact)
@receiver([post_save, post_delete], sender=TeamMember)
def _account_people_changed(sender, instance, **kwargs):
    _refresh_account_plans(instance.account_id)


@receiver([post_save, post_delete], sender=Relationship)
def _relationship_changed(sender, instance, **kwargs):
    account_id = (
        Contact.objects.filter(pk=instance.contact_id).values_list("account_id", flat=True).first()
    )
    if account_id:
        _refresh_account_plans(account_id)

"""The kinds about the customer's people: the RPI below its tier's target or dropped,
no contact with a decision maker, a detractor decision maker."""

from datetime import timedelta

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot, Contact
from scorecards.alerts import kinds
from scorecards.alerts.kinds import Finding

from .params import days_param, number_param

DM = Contact.BuyingRole.DECISION_MAKER


def rpi_below_target(rule, ids, now) -> list[Finding]:
    rows = (
        Account.objects.filter(pk__any_of=ids, latest_snapshot__rpi__isnull=False)
        .filter(latest_snapshot__rpi__lt=F("tier_assignment__tier__rpi_target"))
        .values_list(
            "pk",
            "latest_snapshot__rpi",
            "tier_assignment__tier__rpi_target",
            "tier_assignment__tier__name",
        )
    )
    return [
        Finding(
            pk,
            "account",
            "RPI",
            f"The Relationship Penetration Index is {rpi}, under the {tier} target of {target}.",
            {"rpi": float(rpi), "target": target},
        )
        for pk, rpi, target, tier in rows
    ]


def rpi_dropped(rule, ids, now) -> list[Finding]:
    days, points = days_param(rule), number_param(rule, "points")
    then = timezone.localdate(now) - timedelta(days=days)
    earlier = Subquery(
        AccountSnapshot.objects.filter(account_id=OuterRef("pk"), date__lte=then, rpi__isnull=False)
        .order_by("-date")
        .values("rpi")[:1]
    )
    findings = []
    for pk, now_rpi, then_rpi in (
        Account.objects.filter(pk__any_of=ids, latest_snapshot__rpi__isnull=False)
        .annotate(then_rpi=earlier)
        .values_list("pk", "latest_snapshot__rpi", "then_rpi")
    ):
        if kinds.dropped(now_rpi, then_rpi, points):
            findings.append(
                Finding(
                    pk,
                    "account",
                    "RPI",
                    f"The RPI fell from {then_rpi:.1f} to {now_rpi:.1f} "
                    f"({now_rpi - then_rpi:+.1f}) over the last {days} days.",
                    {"rpi": float(now_rpi), "rpi_before": float(then_rpi), "days": days},
                )
            )
    return findings


def no_decision_maker_contact(rule, ids, now) -> list[Finding]:
    """A decision maker last met N days ago or more; one never met fires N days after
    they were added (DESIGN §12: the text is true when it fires)."""
    days = days_param(rule)
    today = timezone.localdate(now)
    findings = []
    for contact in (
        Contact.objects.filter(account_id__any_of=ids, buying_role=DM, archived=False)
        .annotate(last=Max("interactions__date", filter=Q(interactions__date__lte=today)))
        .only("pk", "account_id", "name", "title", "created_at")
    ):
        if contact.last is None:
            since = (today - timezone.localdate(contact.created_at)).days
            when = f"nobody has met them in the {since} days since they were added"
        else:
            since = (today - contact.last).days
            when = f"last met {since} days ago, on {contact.last:%d %b %Y}"
        if not kinds.overdue(since, days):
            continue
        findings.append(
            Finding(
                contact.account_id,
                f"contact:{contact.pk}",
                contact.name,
                f"{contact.name}{', ' + contact.title if contact.title else ''}, a decision "
                f"maker: {when} (the rule fires after {days} days).",
                {"days_since": since, "days": days, "never_met": contact.last is None},
            )
        )
    return findings


def detractor_decision_maker(rule, ids, now) -> list[Finding]:
    return [
        Finding(
            contact.account_id,
            f"contact:{contact.pk}",
            contact.name,
            f"{contact.name}{', ' + contact.title if contact.title else ''} decides and is "
            "recorded as a detractor.",
            {},
        )
        for contact in Contact.objects.filter(
            account_id__any_of=ids,
            buying_role=DM,
            attitude=Contact.Attitude.DETRACTOR,
            archived=False,
        ).only("pk", "account_id", "name", "title")
    ]

"""The business reviews of the demo (`manage.py seed_demo`): on the demo accounts in a
tier with a review cadence, a history of held reviews (some on time, some late, so a
few are overdue now), one scheduled ahead where the team planned it, with attendees,
outcomes, decisions, customer feedback and action items, some ticked off. Written
through the services, the first time only, from a seeded random generator."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts_app.models import Account, Contact, TeamMember
from plans import reviews
from plans.models import BusinessReview

SEED = 909

AGENDAS = [
    "Results against the joint scorecard\nService performance and open escalations\n"
    "Roadmap for the next two quarters\nAgreed actions",
    "Review of the account plan and its tactics\nPipeline and qualification\n"
    "Relationship coverage: who we still need to meet",
]
OUTCOMES = [
    "Scorecard mostly on target; on-time delivery below target for the second quarter "
    "running. The customer sees value in the remote monitoring pilot.",
    "Volumes up on last year. Two escalations closed; one still open with quality.",
    "The customer plans to consolidate suppliers next year; we are on the short list.",
]
DECISIONS = [
    "Extend the pilot to a second plant.\nMonthly service review with the plant managers.",
    "Joint task force on delivery performance, first meeting within a month.",
    "Prepare a multi-year proposal before the budget round.",
]
FEEDBACK = [
    "“Your service engineers are excellent; invoicing is still too complicated.”",
    "“We would like to see your management more often, not only when there is a problem.”",
    "“Reliable partner. Faster answers on technical questions would help us.”",
]
ACTIONS = [
    ("Send the proposal for the second plant", True),
    ("Set up the monthly service review", True),
    ("Simplify the invoice format with their finance team", True),
    ("Brief our executive sponsor before the next review", False),
    ("Map the new procurement organisation", False),
]


def seed_demo_reviews(*, accounts: list[Account]) -> int:
    """Reviews for the demo accounts that have none yet; returns how many were written."""
    reviewed = set(
        BusinessReview.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    today = timezone.localdate()
    written = 0
    for account in accounts:
        if account.pk in reviewed or account.owner is None:
            continue
        assignment = getattr(account, "tier_assignment", None)
        tier = assignment.tier if assignment else None
        if tier is None or not (tier.external_review_days or tier.internal_review_days):
            continue
        rng = random.Random(SEED * 1_000_003 + account.pk)
        team = list(
            TeamMember.objects.filter(account=account).select_related("user").order_by("pk")
        )
        users = [member.user for member in team]
        contacts = list(Contact.objects.filter(account=account).order_by("-level", "name")[:6])
        for kind, cadence in (
            (BusinessReview.Kind.EXTERNAL, tier.external_review_days),
            (BusinessReview.Kind.INTERNAL, tier.internal_review_days),
        ):
            if not cadence:
                continue
            # Three past reviews at about the cadence, the last one now and then late
            # enough that the next is overdue today (about one account in seven).
            lateness = rng.choice((0, 0, 0, 0, 0, 0.15, 0.6))
            day = today - timedelta(days=int(cadence * (0.7 + lateness)))
            for back in range(3):
                held = day - timedelta(days=back * cadence + rng.randint(-5, 5))
                review = reviews.review_save(
                    account=account,
                    by=account.owner,
                    kind=kind,
                    title="",
                    scheduled_for=held,
                    held_on=held,
                    agenda=rng.choice(AGENDAS),
                    outcomes=rng.choice(OUTCOMES),
                    decisions=rng.choice(DECISIONS),
                    customer_feedback=rng.choice(FEEDBACK) if kind == "external" else "",
                    attendees=rng.sample(users, min(len(users), 3)),
                    customer_attendees=rng.sample(contacts, min(len(contacts), 3))
                    if kind == "external"
                    else [],
                )
                written += 1
                for text, agreed in rng.sample(ACTIONS, rng.randint(1, 3)):
                    item = reviews.action_add(
                        review=review,
                        by=account.owner,
                        text=text,
                        owner=rng.choice(users) if users else None,
                        due_date=held + timedelta(days=rng.choice((14, 30, 45))),
                        agreed_with_customer=agreed and kind == "external",
                    )
                    # Older ones are done; of the last review's, most of those due a
                    # while ago, and some of the rest.
                    long_due = item.due_date < today - timedelta(days=10)
                    if back or rng.random() < (0.85 if long_due else 0.3):
                        reviews.action_set_done(item=item, by=account.owner, done=True)
            if rng.random() < 0.6:
                reviews.review_save(
                    account=account,
                    by=account.owner,
                    kind=kind,
                    title="",
                    scheduled_for=today + timedelta(days=rng.randint(7, 40)),
                    agenda=rng.choice(AGENDAS),
                    attendees=users[:2],
                )
                written += 1
    return written

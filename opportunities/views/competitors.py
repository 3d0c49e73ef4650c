"""Competitors at my accounts (DESIGN §13): for each competitor, where it is present at
the accounts the user sees and what was lost to it there (count, value, the latest
reasons). A fixed number of queries whatever the number of accounts."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from accounts_app.models import Account

from ..models import Competitor, CompetitorPresence, Opportunity, Stage

REASONS_SHOWN = 3


@login_required
def competitors_view(request):
    accounts = Account.objects.visible_to(request.user).filter(archived=False)
    present = defaultdict(list)
    for presence in (
        CompetitorPresence.objects.filter(account__in=accounts)
        .select_related("account", "business_unit", "product_line")
        .order_by("account__name", "pk")
    ):
        present[presence.competitor_id].append(presence)
    lost = (
        Opportunity.objects.filter(
            account__in=accounts, archived=False, stage__outcome=Stage.Outcome.LOST
        )
        .select_related("account")
        .order_by("-stage_changed_at", "-pk")
    )
    losses = defaultdict(list)
    undecided = []
    for deal in lost:
        if deal.lost_to_id:
            losses[deal.lost_to_id].append(deal)
        elif deal.no_decision:
            undecided.append(deal)
    rows = []
    for competitor in Competitor.objects.filter(pk__in={*present, *losses}).order_by("name"):
        deals = losses.get(competitor.pk, [])
        rows.append(
            {
                "competitor": competitor,
                "presences": present.get(competitor.pk, []),
                "accounts": len({p.account_id for p in present.get(competitor.pk, [])}),
                "lost_count": len(deals),
                "lost_value": sum(d.value for d in deals),
                "recent": deals[:REASONS_SHOWN],
            }
        )
    rows.sort(key=lambda r: (-r["lost_value"], -r["accounts"], r["competitor"].name))
    return TemplateResponse(
        request,
        "opportunities/competitors.html",
        {
            "nav_active": "opportunities",
            "rows": rows,
            "undecided_count": len(undecided),
            "undecided_value": sum(d.value for d in undecided),
        },
    )

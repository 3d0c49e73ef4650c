"""The account one-pager PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from core.pdf import render_pdf

from ..selectors import account_business_units, account_get_for_user, account_latest_snapshot


@login_required
def account_one_pager_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    contacts = account.contacts.select_related("business_unit", "reports_to").order_by(
        "business_unit__name", "name"
    )
    pdf = render_pdf(
        "accounts/pdf/one_pager.html",
        {
            "account": account,
            "contacts": contacts,
            "business_units": account_business_units(account=account),
            "team": account.team_members.select_related("user").order_by("role"),
            "snapshot": account_latest_snapshot(account=account),
            "generated_at": timezone.now(),
            "generated_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(account.name) or 'account'}-one-pager.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

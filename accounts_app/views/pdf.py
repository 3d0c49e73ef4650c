"""The account one-pager PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from core.pdf import render_pdf
from core.throttles import limit_renders

from ..selectors import (
    account_business_units,
    account_contacts_by_business_unit,
    account_get_for_user,
    account_latest_snapshot,
    account_team,
)


@login_required
@limit_renders
def account_one_pager_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    pdf = render_pdf(
        "accounts/pdf/one_pager.html",
        {
            "account": account,
            "contacts": account_contacts_by_business_unit(account=account),
            "business_units": account_business_units(account=account),
            "team": account_team(account=account),
            "snapshot": account_latest_snapshot(account=account),
            "generated_at": timezone.now(),
            "generated_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(account.name) or 'account'}-one-pager.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

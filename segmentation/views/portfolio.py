"""The portfolio view: accounts and revenue per tier, and the Pareto chart."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from .. import charts
from ..portfolio import portfolio_revenues, portfolio_summary


@login_required
def portfolio_view(request):
    summary = portfolio_summary(user=request.user)
    pareto = charts.pareto(portfolio_revenues(user=request.user))
    context = {
        "nav_active": "segmentation",
        "summary": summary,
        "pareto": pareto,
        "pareto_summary": charts.pareto_summary(pareto) if pareto.chartable else "",
        # Safe: charts.py escapes every text it writes, and the numbers are its own.
        "pareto_svg": mark_safe(charts.pareto_svg(pareto)) if pareto.chartable else "",
        "can_configure": request.user.is_admin_role,
    }
    return TemplateResponse(request, "segmentation/portfolio.html", context)

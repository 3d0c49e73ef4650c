"""The home page at `/`: what each role should look at today (insights.home)."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from .. import home


@login_required
def home_view(request):
    return TemplateResponse(
        request, "insights/home.html", {"nav_active": "home", **home.home(user=request.user)}
    )

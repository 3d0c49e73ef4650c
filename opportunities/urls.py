from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.portfolio_view, name="portfolio"),
    path("opportunities/<id:opportunity_id>/", views.opportunity_detail_view, name="detail"),
    path(
        "opportunities/<id:opportunity_id>/qualification/",
        views.qualification_view,
        name="qualification",
    ),
    path(
        "accounts/<id:account_id>/opportunities/",
        views.account_opportunities_view,
        name="account",
    ),
]

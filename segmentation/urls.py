from django.urls import path

from .views import account, model, portfolio, runs

app_name = "segmentation"

# Mounted at the site root: the account's Tier tab lives under /accounts/<id>/.
urlpatterns = [
    path("segmentation/", portfolio.portfolio_view, name="portfolio"),
    path("segmentation/model/", model.model_view, name="model"),
    path("segmentation/model/preset/", model.preset_view, name="preset"),
    path("segmentation/model/tiers/new/", model.tier_create_view, name="tier_create"),
    path("segmentation/model/tiers/<id:tier_id>/edit/", model.tier_edit_view, name="tier_edit"),
    path(
        "segmentation/model/tiers/<id:tier_id>/delete/",
        model.tier_delete_view,
        name="tier_delete",
    ),
    path("segmentation/model/tiers/<id:tier_id>/move/", model.tier_move_view, name="tier_move"),
    path("segmentation/runs/", runs.run_list_view, name="runs"),
    path("segmentation/runs/<id:run_id>/", runs.run_detail_view, name="run"),
    path("accounts/<id:account_id>/tier/", account.account_tier_view, name="account_tier"),
    path(
        "accounts/<id:account_id>/tier/override/",
        account.tier_override_view,
        name="tier_override",
    ),
]

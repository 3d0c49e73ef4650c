from django.urls import path

from .views import competitors, contracts, detail, pipeline, whitespace

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", pipeline.portfolio_view, name="portfolio"),
    path("competitors/", competitors.competitors_view, name="competitors"),
    path("accounts/<id:account_id>/contracts/", contracts.contract_list_view, name="contracts"),
    path(
        "accounts/<id:account_id>/contracts/new/",
        contracts.contract_create_view,
        name="contract_create",
    ),
    path(
        "accounts/<id:account_id>/contracts/<id:contract_id>/edit/",
        contracts.contract_edit_view,
        name="contract_edit",
    ),
    path("opportunities/<id:opportunity_id>/", detail.opportunity_detail_view, name="detail"),
    path("opportunities/<id:opportunity_id>/edit/", detail.opportunity_edit_view, name="edit"),
    path(
        "opportunities/<id:opportunity_id>/delete/", detail.opportunity_delete_view, name="delete"
    ),
    path(
        "opportunities/<id:opportunity_id>/restore/",
        detail.opportunity_restore_view,
        name="restore",
    ),
    path(
        "opportunities/<id:opportunity_id>/qualification/",
        detail.qualification_view,
        name="qualification",
    ),
    path("opportunities/<id:opportunity_id>/stage/", pipeline.stage_move_view, name="stage"),
    path(
        "accounts/<id:account_id>/opportunities/",
        pipeline.account_opportunities_view,
        name="account",
    ),
    path(
        "accounts/<id:account_id>/opportunities/new/",
        detail.opportunity_create_view,
        name="create",
    ),
    path("accounts/<id:account_id>/whitespace/", whitespace.whitespace_view, name="whitespace"),
    path(
        "accounts/<id:account_id>/whitespace/<id:product_line_id>/<id:business_unit_id>/",
        whitespace.whitespace_cell_view,
        name="whitespace_cell",
    ),
]

from django.urls import path

from .views import scorecard

app_name = "scorecards"

urlpatterns = [
    path("accounts/<id:account_id>/scorecard/", scorecard.scorecard_tab_view, name="account"),
    path(
        "accounts/<id:account_id>/scorecard/start/",
        scorecard.scorecard_start_view,
        name="start",
    ),
    path(
        "accounts/<id:account_id>/scorecard/<id:scorecard_id>/next/",
        scorecard.scorecard_next_view,
        name="next",
    ),
    path(
        "accounts/<id:account_id>/scorecard/<id:scorecard_id>/save/",
        scorecard.scorecard_save_view,
        name="save",
    ),
    path(
        "accounts/<id:account_id>/scorecard/<id:scorecard_id>/lines/",
        scorecard.line_add_view,
        name="line_add",
    ),
    path("scorecard-lines/<id:line_id>/", scorecard.line_update_view, name="line"),
    path("scorecard-lines/<id:line_id>/remove/", scorecard.line_remove_view, name="line_remove"),
    path("accounts/<id:account_id>/scorecard/import/", scorecard.import_view, name="import"),
    path(
        "accounts/<id:account_id>/scorecard/actuals.csv",
        scorecard.import_template_view,
        name="import_template",
    ),
]

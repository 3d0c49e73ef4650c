from django.urls import path

from .views import alerts, scorecard, surveys

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
    path("accounts/<id:account_id>/surveys/", surveys.surveys_tab_view, name="surveys"),
    path("accounts/<id:account_id>/surveys/new/", surveys.round_new_view, name="survey_new"),
    path("accounts/<id:account_id>/surveys/<id:round_id>/", surveys.round_view, name="survey"),
    path(
        "accounts/<id:account_id>/surveys/<id:round_id>/prediction/",
        surveys.prediction_view,
        name="survey_prediction",
    ),
    path(
        "accounts/<id:account_id>/surveys/<id:round_id>/close/",
        surveys.round_close_view,
        name="survey_close",
    ),
    path(
        "accounts/<id:account_id>/surveys/<id:round_id>/invitations/<id:invitation_id>/resend/",
        surveys.resend_view,
        name="survey_resend",
    ),
    path("alerts/", alerts.inbox_view, name="alerts"),
    path("alerts/export/", alerts.inbox_export_view, name="alerts_export"),
    path("alerts/settings/", alerts.preferences_view, name="alert_preferences"),
    path("alerts/bulk/", alerts.bulk_view, name="alerts_bulk"),
    path("alerts/<id:alert_id>/snooze/", alerts.snooze_view, name="alert_snooze"),
    path("alerts/<id:alert_id>/", alerts.alert_view, name="alert"),
    path(
        "alerts/<id:alert_id>/<str:action>/",
        alerts.alert_action_view,
        name="alert_action",
    ),
    path("s/<str:token>/", surveys.survey_answer_view, name="survey_answer"),
]

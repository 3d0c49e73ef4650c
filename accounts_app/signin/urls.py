from django.urls import include, path

from . import views

app_name = "second_factor"

urlpatterns = [
    path("login/verify/", views.verify_view, name="verify"),
    path("settings/two-factor/", views.setup_view, name="setup"),
    path("settings/two-factor/qr.svg", views.qr_view, name="qr"),
    path("settings/two-factor/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("settings/two-factor/codes/", views.codes_view, name="codes"),
    path("settings/two-factor/off/", views.turn_off_view, name="off"),
    path("settings/sign-in/", views.policy_view, name="policy"),
    path("settings/sign-in/<id:user_id>/reset/", views.reset_view, name="reset"),
]

# Single sign-on: /oidc/authenticate/ (to the provider) and /oidc/callback/ (back); both
# answer 404 while it is not configured.
oidc_urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls"))]

from django.urls import path

from .views import tokens

app_name = "tokens"

urlpatterns = [
    path("", tokens.token_list_view, name="list"),
    path("<id:token_id>/revoke/", tokens.token_revoke_view, name="revoke"),
    path("revoke-all/", tokens.token_revoke_all_view, name="revoke_all"),
]

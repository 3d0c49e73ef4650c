"""Insights' pages on an account: the Health tab and the business-review pack. (The
accounts list and the Overview are `account_pages`, under the accounts namespace.)"""

from django.urls import path

from .views import accounts, activity, dashboards, packs

app_name = "insights"

urlpatterns = [
    path("accounts/<id:account_id>/health/", dashboards.account_health_view, name="health"),
    path("accounts/<id:account_id>/activity/", activity.account_activity_view, name="activity"),
    path("accounts/<id:account_id>/pack.pdf", packs.account_pack_view, name="account_pack"),
]

# Mounted under "accounts/" with accounts_app.urls, in its namespace ("accounts:list",
# "accounts:detail"): the account pages' addresses do not say which app draws them.
account_pages = [
    path("", accounts.account_list_view, name="list"),
    path("<id:account_id>/", accounts.account_detail_view, name="detail"),
]

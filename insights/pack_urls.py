"""The packs' own pages (plans/views/packs.py): the executive portfolio pack and any
generated pack's status and download."""

from django.urls import path

from .views import packs

app_name = "packs"

urlpatterns = [
    path("", packs.portfolio_packs_view, name="portfolio"),
    path("portfolio/", packs.portfolio_pack_start_view, name="portfolio_start"),
    path("<id:pack_id>/", packs.pack_detail_view, name="detail"),
    path("<id:pack_id>/download/", packs.pack_download_view, name="download"),
]

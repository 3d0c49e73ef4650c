from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list_view, name="list"),
    path("<id:pk>/", views.import_detail_view, name="detail"),
    path("<id:pk>/apply/", views.import_apply_view, name="apply"),
    path("<id:pk>/errors/", views.import_errors_view, name="errors"),
    path("sample.csv", views.import_sample_view, name="sample"),
]

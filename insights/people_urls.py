from django.urls import path

from .views import people

app_name = "people"

urlpatterns = [
    path("<id:user_id>/offboard/", people.offboard_view, name="offboard"),
]

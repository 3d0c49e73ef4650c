"""The business reviews' pages (plans/views/reviews.py): under the account, and each
review's own."""

from django.urls import path

from .views import reviews

app_name = "reviews"

urlpatterns = [
    path("accounts/<id:account_id>/reviews/", reviews.reviews_view, name="account"),
    path("accounts/<id:account_id>/reviews/new/", reviews.review_create_view, name="create"),
    path("reviews/<id:review_id>/", reviews.review_detail_view, name="detail"),
    path("reviews/<id:review_id>/edit/", reviews.review_edit_view, name="edit"),
    path("reviews/<id:review_id>/delete/", reviews.review_delete_view, name="delete"),
    path("reviews/<id:review_id>/actions/", reviews.action_add_view, name="action_add"),
    path("reviews/<id:review_id>/actions/<id:action_id>/", reviews.action_view, name="action"),
    path(
        "reviews/<id:review_id>/actions/<id:action_id>/tactic/",
        reviews.action_tactic_view,
        name="action_tactic",
    ),
]

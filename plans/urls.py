from django.urls import path

from .views import lifecycle, page

app_name = "plans"

urlpatterns = [
    # The list of plans, starting a plan, notifications (views/lifecycle.py).
    path("", lifecycle.plan_list_view, name="list"),
    path("export/", lifecycle.plan_export_view, name="export"),
    path("start/<id:account_id>/", lifecycle.plan_start_view, name="start"),
    path("notifications/", lifecycle.notification_list_view, name="notifications"),
    # The plan page and its in-place editing (views/page.py).
    path("<id:plan_id>/", page.plan_detail_view, name="detail"),
    path("<id:plan_id>/fields/<str:section>/", page.plan_fields_view, name="fields"),
    path("<id:plan_id>/items/<str:kind>/new/", page.item_create_view, name="item_create"),
    path("<id:plan_id>/items/<str:kind>/<id:item_id>/", page.item_view, name="item"),
    path(
        "<id:plan_id>/items/<str:kind>/<id:item_id>/delete/",
        page.item_delete_view,
        name="item_delete",
    ),
    path(
        "<id:plan_id>/items/<str:kind>/<id:item_id>/restore/",
        page.item_restore_view,
        name="item_restore",
    ),
    path("<id:plan_id>/items/<str:kind>/reorder/", page.items_reorder_view, name="items_reorder"),
    # The life cycle, coaching comments, history (views/lifecycle.py).
    path("<id:plan_id>/step/<str:action>/", lifecycle.plan_step_view, name="step"),
    path("<id:plan_id>/clone/", lifecycle.plan_clone_view, name="clone"),
    path("<id:plan_id>/comments/", lifecycle.comment_add_view, name="comment_add"),
    path(
        "<id:plan_id>/comments/<id:comment_id>/resolve/",
        lifecycle.comment_resolve_view,
        name="comment_resolve",
    ),
    path("<id:plan_id>/changes/", lifecycle.plan_changes_view, name="changes"),
]

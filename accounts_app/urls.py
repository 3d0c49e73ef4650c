from django.urls import path

from .views import accounts, pdf, people

app_name = "accounts"

urlpatterns = [
    path("", accounts.account_list_view, name="list"),
    path("new/", accounts.account_create_view, name="create"),
    path("<int:account_id>/", accounts.account_detail_view, name="detail"),
    path("<int:account_id>/edit/", accounts.account_edit_view, name="edit"),
    path("<int:account_id>/one-pager.pdf", pdf.account_one_pager_view, name="one_pager"),
    path("<int:account_id>/contacts/", people.contact_list_view, name="contacts"),
    path("<int:account_id>/contacts/new/", people.contact_create_view, name="contact_create"),
    path(
        "<int:account_id>/contacts/<int:contact_id>/edit/",
        people.contact_edit_view,
        name="contact_edit",
    ),
    path(
        "<int:account_id>/contacts/<int:contact_id>/delete/",
        people.contact_delete_view,
        name="contact_delete",
    ),
    path(
        "<int:account_id>/business-units/new/",
        people.business_unit_create_view,
        name="business_unit_create",
    ),
    path(
        "<int:account_id>/business-units/<int:unit_id>/edit/",
        people.business_unit_edit_view,
        name="business_unit_edit",
    ),
    path(
        "<int:account_id>/business-units/<int:unit_id>/delete/",
        people.business_unit_delete_view,
        name="business_unit_delete",
    ),
    path("<int:account_id>/team/", people.team_view, name="team"),
    path("<int:account_id>/team/add/", people.team_add_view, name="team_add"),
    path("<int:account_id>/team/<int:member_id>/role/", people.team_role_view, name="team_role"),
    path(
        "<int:account_id>/team/<int:member_id>/remove/", people.team_remove_view, name="team_remove"
    ),
]

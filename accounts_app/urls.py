from django.urls import path

from .views import accounts, interactions, pdf, people, relationships, relmap

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
    # The relationship matrix (relationships.py), the relationship map (relmap.py) and the
    # interactions log (interactions.py).
    path("<int:account_id>/relationships/", relationships.matrix_view, name="relationships"),
    path(
        "<int:account_id>/relationships/<int:contact_id>/<int:user_id>/",
        relationships.relationship_cell_view,
        name="relationship_cell",
    ),
    path("<int:account_id>/map/", relmap.relationship_map_view, name="relationship_map"),
    path("<int:account_id>/map.svg", relmap.relationship_map_svg_view, name="relationship_map_svg"),
    path("<int:account_id>/map.pdf", relmap.relationship_map_pdf_view, name="relationship_map_pdf"),
    path("<int:account_id>/interactions/", interactions.interaction_list_view, name="interactions"),
    path(
        "<int:account_id>/interactions/new/",
        interactions.interaction_create_view,
        name="interaction_create",
    ),
    path(
        "<int:account_id>/interactions/<int:interaction_id>/delete/",
        interactions.interaction_delete_view,
        name="interaction_delete",
    ),
]

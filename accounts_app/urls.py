from django.urls import path

from .views import accounts, interactions, pdf, people, relationships, relmap, revenue

# The list and the Overview (insights.urls.account_pages) join these under the same
# namespace in config.urls.
app_name = "accounts"

urlpatterns = [
    path("new/", accounts.account_create_view, name="create"),
    path("<id:account_id>/edit/", accounts.account_edit_view, name="edit"),
    path("<id:account_id>/archive/", accounts.account_archive_view, name="archive"),
    path("<id:account_id>/restore/", accounts.account_restore_view, name="restore"),
    path("<id:account_id>/purge/", accounts.account_purge_view, name="purge"),
    path("<id:account_id>/one-pager.pdf", pdf.account_one_pager_view, name="one_pager"),
    path("<id:account_id>/contacts/", people.contact_list_view, name="contacts"),
    path("<id:account_id>/contacts/export/", people.contact_export_view, name="contacts_export"),
    path("<id:account_id>/contacts/new/", people.contact_create_view, name="contact_create"),
    path(
        "<id:account_id>/contacts/<id:contact_id>/edit/",
        people.contact_edit_view,
        name="contact_edit",
    ),
    path(
        "<id:account_id>/contacts/<id:contact_id>/delete/",
        people.contact_delete_view,
        name="contact_delete",
    ),
    path(
        "<id:account_id>/contacts/<id:contact_id>/restore/",
        people.contact_restore_view,
        name="contact_restore",
    ),
    path(
        "<id:account_id>/business-units/new/",
        people.business_unit_create_view,
        name="business_unit_create",
    ),
    path(
        "<id:account_id>/business-units/<id:unit_id>/edit/",
        people.business_unit_edit_view,
        name="business_unit_edit",
    ),
    path(
        "<id:account_id>/business-units/<id:unit_id>/delete/",
        people.business_unit_delete_view,
        name="business_unit_delete",
    ),
    path(
        "<id:account_id>/business-units/<id:unit_id>/restore/",
        people.business_unit_restore_view,
        name="business_unit_restore",
    ),
    path("<id:account_id>/team/", people.team_view, name="team"),
    path("<id:account_id>/team/add/", people.team_add_view, name="team_add"),
    path("<id:account_id>/team/<id:member_id>/role/", people.team_role_view, name="team_role"),
    path(
        "<id:account_id>/team/<id:member_id>/remove/", people.team_remove_view, name="team_remove"
    ),
    # The relationship matrix (relationships.py), the relationship map (relmap.py) and the
    # interactions log (interactions.py).
    path("<id:account_id>/relationships/", relationships.matrix_view, name="relationships"),
    path(
        "<id:account_id>/relationships/<id:contact_id>/<id:user_id>/",
        relationships.relationship_cell_view,
        name="relationship_cell",
    ),
    path("<id:account_id>/map/", relmap.relationship_map_view, name="relationship_map"),
    path("<id:account_id>/map.svg", relmap.relationship_map_svg_view, name="relationship_map_svg"),
    path("<id:account_id>/map.pdf", relmap.relationship_map_pdf_view, name="relationship_map_pdf"),
    path("<id:account_id>/interactions/", interactions.interaction_list_view, name="interactions"),
    path(
        "<id:account_id>/interactions/new/",
        interactions.interaction_create_view,
        name="interaction_create",
    ),
    path(
        "<id:account_id>/interactions/<id:interaction_id>/edit/",
        interactions.interaction_edit_view,
        name="interaction_edit",
    ),
    path(
        "<id:account_id>/interactions/<id:interaction_id>/delete/",
        interactions.interaction_delete_view,
        name="interaction_delete",
    ),
    # The revenue history (revenue.py): the grid, and a year entered or corrected.
    path("<id:account_id>/revenue/", revenue.revenue_view, name="revenue"),
    path("<id:account_id>/revenue/<int:year>/", revenue.revenue_year_view, name="revenue_year"),
]

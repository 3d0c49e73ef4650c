"""The plan page (DESIGN §2, plans) and its editing in place.

The page renders every section of the plan in a fixed number of queries. Each editable
part answers a fragment to htmx and a redirect (or a page of its own, for a form with
errors) to a plain POST:

- plans:fields — the overview or the financials card, as text or as its form;
- plans:item_create — an "Add …" button or its form; a save answers the whole list;
- plans:item — an item's row, or its form; a save answers the row;
- plans:item_delete / plans:item_restore — "Deleted — Undo" and back;
- plans:items_reorder — the full new order of one list; answers the list.

A save names the `version` its form read; when someone saved in between the service
raises StaleVersion and the form comes back with 409, both versions side by side, what
the user typed kept, and the newer version in the form so that saving again overwrites
deliberately. Validation errors come back with 422 (core.http.REFUSED). Who may do what
is plans.selectors': outsiders get 404 everywhere, read-only users 403 on every write.

The views are split by what they edit: the page and its overview and financials cards
(detail.py), the items (items.py); with what they share (common.py), the sections as
they render (sections.py) and saving with its conflicts (saving.py). plans/urls.py
routes to them through this module.
"""

from .detail import plan_detail_view, plan_fields_view
from .items import (
    item_create_view,
    item_delete_view,
    item_restore_view,
    item_view,
    items_reorder_view,
)

__all__ = [
    "item_create_view",
    "item_delete_view",
    "item_restore_view",
    "item_view",
    "items_reorder_view",
    "plan_detail_view",
    "plan_fields_view",
]

"""What every HTML view shares: telling an htmx fragment request from a page load,
paginating a list, and handing a valid form to a service."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest

# A refused save (field errors) answers 422 with the form again, errors and typed values
# in place; a conflict (someone saved first) answers 409 with both versions. htmx swaps
# both into the form's target (base.html's htmx-config), with debug on or off: django-htmx's
# debug handler takes over 400, 403, 404 and 500 only.
REFUSED = 422
CONFLICT = 409


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def saved_form(request: HttpRequest, form, save: Callable[[dict], object]) -> bool:
    """On a POST, validate `form` and hand its data (`form.data_for_service()` where the
    form has it, else its cleaned data) to `save` (which calls a service).

    False when there is nothing to save or it failed: a service's ValidationError lands
    on the form, which the caller re-renders with what was typed.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.data_for_service() if hasattr(form, "data_for_service") else form.cleaned_data
    try:
        save(data)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, messages in errors.items():
            form.add_error(field if field in form.fields else None, messages)
        return False
    return True


UNDO = "undo "


def deleted_with_undo(request: HttpRequest, text: str, undo_url: str) -> None:
    """Say a delete (an archive) was done, with an Undo that restores it: one pattern for
    every delete. The message carries the restore URL; includes/messages.html draws the
    button, a plain POST, so it works from a fragment and without JavaScript."""
    messages.success(request, text, extra_tags=UNDO + undo_url)


def paginate(request: HttpRequest, queryset, per_page: int = 25):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))

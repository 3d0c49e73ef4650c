"""Saving a posted form through a service, and the conflict shown when someone saved
in between: the form again with what was typed, both versions side by side."""

from django.core.exceptions import ValidationError

from core.http import CONFLICT, REFUSED

from ... import services
from ...selectors import latest_change

CONFLICT_MESSAGE = "Someone else changed this while you were editing."


def _shown(value, field=None) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "name") and hasattr(value, "username"):
        return value.name
    if field is not None and getattr(field, "choices", None) and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d %b %Y")
    return str(value)


def _conflict(request, form, make_form, current) -> tuple[object, dict]:
    """The form again with what was typed and the newer version's number, and what the
    newer version holds, by whom and when (its latest history record)."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    fresh = make_form(data)
    fresh.is_valid()
    latest = latest_change(obj=current)
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        theirs = getattr(current, name)
        yours = form.cleaned_data.get(name)
        rows.append(
            {
                "label": field.label or name,
                "theirs": _shown(theirs, field),
                "yours": _shown(yours, field),
                "differs": _shown(theirs, field) != _shown(yours, field),
                "long": name in ("text", "overview"),
            }
        )
    return fresh, {
        "message": CONFLICT_MESSAGE,
        "by": latest.history_user if latest else None,
        "at": latest.history_date if latest else current.updated_at,
        "version": current.version,
        "rows": rows,
    }


def _saved(request, make_form, save) -> tuple[int, object, dict | None]:
    """Validate the posted form and save it through `save(data, version)`: the status to
    answer (200, 422 refused, 409 conflict), the form to show again and the conflict, if any."""
    form = make_form(request.POST)
    if not form.is_valid():
        return REFUSED, form, None
    try:
        save(form.service_data(), form.cleaned_data.get("version"))
    except services.StaleVersion as stale:
        fresh, conflict = _conflict(request, form, make_form, stale.current)
        return CONFLICT, fresh, conflict
    except ValidationError as exc:
        _add_errors(form, exc)
        return REFUSED, form, None
    return 200, form, None


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)

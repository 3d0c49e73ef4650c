"""Archive, never silently delete (DESIGN §11): what deleting a business unit, a contact
or an opportunity does. The record keeps everything under it and leaves the lists and
figures; restore brings it back as it was. Each is a plain `save()`, so the history
records the archive and the restore, with `by` as who did it (also outside a request)."""

from django.utils import timezone


def _save_by(instance, by) -> None:
    instance._history_user = by  # simple-history's actor for this save only
    try:
        instance.save()
    finally:
        del instance._history_user


def archive(instance, *, by) -> bool:
    """Mark `instance` archived by `by`, now; False (and nothing written) if it was."""
    if instance.archived:
        return False
    instance.archived = True
    instance.archived_at = timezone.now()
    instance.archived_by = by
    _save_by(instance, by)
    return True


def restore(instance, *, by) -> bool:
    """Bring `instance` back from the archive; False (and nothing written) if it was not."""
    if not instance.archived:
        return False
    instance.archived = False
    instance.archived_at = None
    instance.archived_by = None
    _save_by(instance, by)
    return True

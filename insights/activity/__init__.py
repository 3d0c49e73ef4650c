"""An account's Activity and the admins' whole log (DESIGN §11): reader, sources and the
history's retention."""

from .reader import ActivityFilters, ActivityPage, Entry, activity_count, activity_page
from .retention import history_prune
from .sources import KIND_CHOICES, SOURCES

__all__ = [
    "KIND_CHOICES",
    "SOURCES",
    "ActivityFilters",
    "ActivityPage",
    "Entry",
    "activity_count",
    "activity_page",
    "history_prune",
]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    """Plans are edited on their pages (versions, permissions, history); here they are
    looked up, with their history."""

    list_display = ["account", "period", "status", "updated_at"]
    list_filter = ["status", "period"]
    search_fields = ["account__name"]
    readonly_fields = [f.name for f in Plan._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""What admins keep in the admin site: the metric library and the weights of account
health. Scorecards themselves are edited on the account's pages."""

from django.contrib import admin

from .models import HealthWeights, Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "perspective",
        "kind",
        "unit",
        "higher_is_better",
        "joint",
        "active",
        "position",
    ]
    list_editable = ["active", "position"]
    list_filter = ["perspective", "kind", "joint", "active"]
    search_fields = ["name", "description"]

    def has_delete_permission(self, request, obj=None):
        # A metric on a scorecard is retired (active off), not deleted: its history stays.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.lines.exists()
        )


@admin.register(HealthWeights)
class HealthWeightsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rpi", "scorecard", "survey", "plan_execution", "engagement"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not HealthWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

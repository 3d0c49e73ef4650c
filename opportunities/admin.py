"""The opportunity catalogues admins keep in the admin site: pipeline stages (with their
default probabilities and stall limits), product lines (the whitespace matrix's rows)
and the qualification criteria. Opportunities themselves are edited on their pages."""

from django.contrib import admin

from . import services
from .models import ProductLine, QualificationCriterion, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "default_probability", "stall_days", "outcome"]
    list_display_links = ["name"]
    list_editable = ["default_probability", "stall_days"]
    ordering = ["position"]

    def has_delete_permission(self, request, obj=None):
        # A stage with opportunities is protected; one without may go.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.opportunities.exists()
        )


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["name"]


@admin.register(QualificationCriterion)
class QualificationCriterionAdmin(admin.ModelAdmin):
    list_display = ["position", "text", "weight", "active"]
    list_display_links = ["text"]
    list_editable = ["weight", "active"]
    ordering = ["position", "id"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.qualification_scores_refresh_later()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.qualification_scores_refresh_later()

    def has_delete_permission(self, request, obj=None):
        # An answered criterion is deactivated, not deleted.
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.answers.exists()
        )

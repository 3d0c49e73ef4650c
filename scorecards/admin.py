"""What admins keep in the admin site: the metric library, the weights of account health,
the alert rules and escalation procedures. Scorecards are edited on the account's pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .alerts.kinds import KINDS
from .alerts.services import rule_check
from .models import AlertRule, EscalationProcedure, EscalationStep, HealthWeights, Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "perspective",
        "kind",
        "unit",
        "higher_is_better",
        "may_be_negative",
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


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 1
    ordering = ["position"]


@admin.register(EscalationProcedure)
class EscalationProcedureAdmin(admin.ModelAdmin):
    inlines = [EscalationStepInline]
    list_display = ["name"]


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["kind", "name", "parameters", "severity", "active", "tiers", "procedure"]

    def clean(self):
        data = super().clean()
        if data.get("kind") in KINDS:
            try:
                data["parameters"] = rule_check(
                    kind=data["kind"],
                    parameters=data.get("parameters"),
                    active=data.get("active", False),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return data


def describe(kind) -> str:
    return ", ".join(f"{p.key} ({p.label}, default {p.default})" for p in kind.parameters) or "none"


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = AlertRuleForm
    list_display = ["name", "kind", "severity", "active", "procedure", "why_inactive"]
    list_filter = ["kind", "severity", "active"]
    filter_horizontal = ["tiers"]

    @admin.display(description="Note")
    def why_inactive(self, rule):
        return rule.inactive_because or ""

    def get_changeform_initial_data(self, request):
        return {"parameters": {}}

    def render_change_form(self, request, context, *args, **kwargs):
        context["adminform"].form.fields["parameters"].help_text = "; ".join(
            f"{kind.label}: {describe(kind)}" for kind in KINDS.values()
        )
        return super().render_change_form(request, context, *args, **kwargs)

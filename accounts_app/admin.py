from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    Account,
    AccountSnapshot,
    ApiToken,
    BusinessUnit,
    Contact,
    Industry,
    Interaction,
    Region,
    Relationship,
    TeamMember,
    User,
)
from .services import account_owner_sync


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Strata", {"fields": ("role", "manager", "title")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Strata", {"fields": ("role", "manager", "title")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "manager",
        "is_active",
        "offboard",
    )
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("manager",)
    autocomplete_fields = ("manager",)

    @admin.display(description="leaving?")
    def offboard(self, user):
        if not user.is_active:
            return "left"
        return format_html('<a href="{}">Offboard…</a>', reverse("people:offboard", args=[user.pk]))

    # People leave, their work stays (DESIGN §11): untick "Active" to let someone go;
    # deleting would take their team places and relationships with them.
    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class BusinessUnitInline(admin.TabularInline):
    model = BusinessUnit
    extra = 0


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "region", "lifecycle_stage", "owner", "annual_revenue")
    list_filter = ("industry", "region", "lifecycle_stage", "archived")
    list_select_related = ("owner", "industry", "region")
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    inlines = [BusinessUnitInline, TeamMemberInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The owner is whoever has the owner role on the team (set it in the team below).
    readonly_fields = ("owner",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account_owner_sync(account=form.instance)


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "account")
    list_select_related = ("account",)
    search_fields = ("name", "account__name")
    autocomplete_fields = ("account",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "account", "level", "buying_role", "attitude")
    list_filter = ("level", "buying_role", "attitude")
    list_select_related = ("account",)
    search_fields = ("name", "title", "email", "account__name")
    autocomplete_fields = ("account", "business_unit", "reports_to")


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "account", "role")
    list_filter = ("role",)
    list_select_related = ("user", "account")
    search_fields = ("user__username", "account__name")
    autocomplete_fields = ("account", "user")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        account_owner_sync(account=obj.account)

    def delete_model(self, request, obj):
        account = obj.account
        super().delete_model(request, obj)
        account_owner_sync(account=account)

    def delete_queryset(self, request, queryset):
        accounts = list(Account.objects.filter(team_members__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for account in accounts:
            account_owner_sync(account=account)


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ("contact", "user", "strength", "target_strength", "last_interaction")
    list_filter = ("strength",)
    list_select_related = ("contact", "user")
    search_fields = ("contact__name", "user__username")
    autocomplete_fields = ("contact", "user")


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "subject", "account")
    list_filter = ("kind",)
    list_select_related = ("account",)
    search_fields = ("subject", "account__name")
    autocomplete_fields = ("account", "contacts", "team_users")
    date_hierarchy = "date"


@admin.register(AccountSnapshot)
class AccountSnapshotAdmin(admin.ModelAdmin):
    list_display = ("account", "date", "contact_count", "relationship_count", "last_interaction")
    list_select_related = ("account",)
    search_fields = ("account__name",)
    readonly_fields = [f.name for f in AccountSnapshot._meta.fields]


class ListEntryAdmin(admin.ModelAdmin):
    """The organisation's lists (DESIGN §10). An entry accounts use cannot be deleted
    (Django admin names them); rename it instead, or move the accounts first."""

    list_display = ("name", "code", "position", "account_count")
    list_editable = ("position",)
    search_fields = ("name", "code")
    ordering = ("position", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(models.Count("accounts"))

    @admin.display(description="accounts", ordering="accounts__count")
    def account_count(self, entry):
        return entry.accounts__count


admin.site.register(Industry, ListEntryAdmin)
admin.site.register(Region, ListEntryAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owner (settings page or API), whose key is shown to them
    alone; an admin sees and revokes them."""

    list_display = ("name", "user", "key_start", "created", "expiry", "last_used")
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    fields = ("name", "user", "key_start", "created", "expiry", "last_used")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""REST API v1 for accounts, business units, contacts, team members, relationships, users
and (in `interactions`) interactions.

Reads come from the same selectors as the HTML views (an object outside the caller's
scope is a 404); writes go through the same services (a visible object the caller may
not change is a 403; a rule broken is a 400 with field errors).
"""

from django.db.models import Q
from rest_framework import serializers, viewsets

from core.api import (
    AccountScopedViewSet,
    AmountFieldsMixin,
    ArchiveMixin,
    ExportMixin,
    ScopedRelatedField,
)

from .. import selectors, services
from ..exports import contact_columns, contact_export_queryset
from ..filters import (
    BusinessUnitFilter,
    ContactFilter,
    RelationshipFilter,
    TeamMemberFilter,
    UserFilter,
)
from ..lists import ListEntryField
from ..models import (
    Account,
    BusinessUnit,
    Contact,
    Industry,
    Region,
    Relationship,
    TeamMember,
    User,
)
from .interactions import InteractionViewSet


def _active_users(user):
    return User.objects.filter(is_active=True)


# --- Serializers -------------------------------------------------------------------------


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "manager"]


class ParentField(ScopedRelatedField):
    """A visible account, or the account's current parent even where it is not visible:
    a client that sends back what it read must not be refused (or detach the account)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        current = getattr(self.parent.instance, "parent_id", None)
        if current is not None:
            queryset = Account.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))
        return queryset


class AccountSerializer(AmountFieldsMixin, serializers.ModelSerializer):
    parent = ParentField(scope=Account.objects.visible_to, required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    industry = ListEntryField(queryset=Industry.objects.all())
    region = ListEntryField(queryset=Region.objects.all())
    share_of_wallet_pct = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "parent",
            "industry",
            "region",
            "lifecycle_stage",
            "owner",
            "annual_revenue",
            "wallet_estimate",
            "gross_margin_pct",
            "share_of_wallet_pct",
            "strategic_value",
            "strategic_value_reason",
            "website",
            "description",
            "archived",
            "archived_at",
            "archived_by",
            "created_at",
            "updated_at",
        ]
        # Archived by DELETE, back by restore/ (DESIGN §11), not by writing the field.
        read_only_fields = ["created_at", "updated_at", "archived", "archived_at", "archived_by"]
        amount_fields = ["annual_revenue", "wallet_estimate"]

    def validate_annual_revenue(self, value):
        account = self.instance
        if account is not None and account.revenue_from_history and value != account.annual_revenue:
            raise serializers.ValidationError(
                "It is the last twelve months of this account's revenue history: change "
                "the months (revenue-entries/) instead."
            )
        return value


# Archived by DELETE, back by restore/ (DESIGN §11), not by writing the fields.
ARCHIVE_FIELDS = ["archived", "archived_at", "archived_by"]


class BusinessUnitSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)

    class Meta:
        model = BusinessUnit
        fields = ["id", "account", "name", "description", *ARCHIVE_FIELDS]
        read_only_fields = ARCHIVE_FIELDS


class ContactSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    business_unit = ScopedRelatedField(
        scope=BusinessUnit.objects.visible_to, required=False, allow_null=True
    )
    reports_to = ScopedRelatedField(
        scope=Contact.objects.visible_to, required=False, allow_null=True
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "account",
            "name",
            "title",
            "email",
            "phone",
            "business_unit",
            "reports_to",
            "level",
            "buying_role",
            "attitude",
            "notes",
            *ARCHIVE_FIELDS,
        ]
        read_only_fields = ARCHIVE_FIELDS


class TeamMemberSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    user = ScopedRelatedField(scope=_active_users)

    class Meta:
        model = TeamMember
        fields = ["id", "account", "user", "role"]
        # The services own the team's rules (one member per user, one owner, handing the
        # account over). DRF would derive validators from the model's unique constraints
        # and refuse "make this member the owner" because another owner exists.
        validators = []


class RelationshipSerializer(serializers.ModelSerializer):
    contact = ScopedRelatedField(scope=Contact.objects.visible_to)
    user = ScopedRelatedField(scope=_active_users)
    account = serializers.IntegerField(source="contact.account_id", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "account",
            "contact",
            "user",
            "strength",
            "target_strength",
            "last_interaction",
        ]


# --- Views -------------------------------------------------------------------------------


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name"]
    ordering_fields = ["username", "last_name"]

    def get_queryset(self):
        return selectors.user_list(user=self.request.user).order_by("username")


class BusinessUnitViewSet(ArchiveMixin, AccountScopedViewSet):
    serializer_class = BusinessUnitSerializer
    filterset_class = BusinessUnitFilter
    search_fields = ["name"]

    def get_queryset(self):
        return selectors.business_unit_list(user=self.request.user).order_by("account_id", "name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.business_unit_create(
            account=account, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        self.require_edit(serializer.instance.account)
        data = dict(serializer.validated_data)
        if data.pop("account", serializer.instance.account) != serializer.instance.account:
            raise serializers.ValidationError({"account": "A business unit cannot change account."})
        serializer.instance = services.business_unit_update(
            business_unit=serializer.instance, by=self.request.user, **data
        )

    def archive_record(self, instance):
        services.business_unit_archive(business_unit=instance, by=self.request.user)

    def restore_record(self, instance):
        services.business_unit_restore(business_unit=instance, by=self.request.user)


class ContactViewSet(ArchiveMixin, ExportMixin, AccountScopedViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    search_fields = ["name", "title", "email"]
    ordering_fields = ["name", "level", "updated_at"]
    export_name = "contacts"

    def export_columns(self):
        return contact_columns()

    def export_queryset(self, queryset):
        return contact_export_queryset(queryset)

    def get_queryset(self):
        return selectors.contact_list(user=self.request.user).order_by("account_id", "name", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.contact_create(account=account, by=self.request.user, **data)

    def perform_update(self, serializer):
        self.require_edit(serializer.instance.account)
        data = dict(serializer.validated_data)
        if data.pop("account", serializer.instance.account) != serializer.instance.account:
            raise serializers.ValidationError(
                {"account": "A contact cannot move to another account."}
            )
        serializer.instance = services.contact_update(
            contact=serializer.instance, by=self.request.user, **data
        )

    def archive_record(self, instance):
        services.contact_archive(contact=instance, by=self.request.user)

    def restore_record(self, instance):
        services.contact_restore(contact=instance, by=self.request.user)


class TeamMemberViewSet(AccountScopedViewSet):
    serializer_class = TeamMemberSerializer
    filterset_class = TeamMemberFilter

    def check_write(self, obj) -> None:
        self.require_roster(obj.account)

    def get_queryset(self):
        return selectors.team_member_list(user=self.request.user).order_by("account_id", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        self.require_roster(data["account"])
        serializer.instance = services.team_member_add(
            account=data["account"],
            user=data["user"],
            role=data.get("role", "sales"),
            by=self.request.user,
        )

    def perform_update(self, serializer):
        member = serializer.instance
        self.require_roster(member.account)
        data = serializer.validated_data
        if (
            data.get("account", member.account) != member.account
            or data.get("user", member.user) != member.user
        ):
            raise serializers.ValidationError(
                {"non_field_errors": ["Only the role of a team member can change."]}
            )
        serializer.instance = services.team_member_change_role(
            member=member, role=data.get("role", member.role), by=self.request.user
        )

    def perform_destroy(self, instance):
        self.require_roster(instance.account)
        services.team_member_remove(member=instance, by=self.request.user)


class RelationshipViewSet(AccountScopedViewSet):
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter

    def check_write(self, obj) -> None:
        self.require_edit(obj.contact.account)

    def get_queryset(self):
        relationships = selectors.relationship_list(user=self.request.user)
        if self.action == "list":  # an archived contact's come back with them on restore
            relationships = relationships.filter(contact__archived=False)
        return relationships.order_by("contact_id", "user_id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        contact, user = data.pop("contact"), data.pop("user")
        self.require_edit(contact.account)
        serializer.instance = services.relationship_create(
            contact=contact, user=user, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        relationship = serializer.instance
        self.require_edit(relationship.contact.account)
        data = dict(serializer.validated_data)
        if (
            data.pop("contact", relationship.contact) != relationship.contact
            or data.pop("user", relationship.user) != relationship.user
        ):
            raise serializers.ValidationError(
                {"non_field_errors": ["A relationship cannot change its contact or user."]}
            )
        serializer.instance = services.relationship_update(
            relationship=relationship, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        self.require_edit(instance.contact.account)
        services.relationship_delete(relationship=instance, by=self.request.user)


__all__ = [
    "BusinessUnitViewSet",
    "ContactViewSet",
    "InteractionViewSet",
    "RelationshipViewSet",
    "TeamMemberViewSet",
    "UserViewSet",
]

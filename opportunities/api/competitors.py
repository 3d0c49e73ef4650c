"""The API of competitors (DESIGN §7 `competitors/`, `competitor-presences/`): the
catalogue admins keep (everyone reads it; a competitor named anywhere is retired with
`active: false`, not deleted), and where each is present at the accounts the caller sees
(the team records it)."""

import django_filters
from rest_framework import permissions, serializers, viewsets

from accounts_app.models import Account, BusinessUnit
from core.api import ID_REGEX, AccountScopedViewSet, IsAdminRoleOrReadOnly, ScopedRelatedField
from core.filters import IdFilter

from .. import services
from ..models import Competitor, CompetitorPresence, ProductLine


class CompetitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competitor
        fields = ["id", "name", "website", "notes", "active"]


class CompetitorViewSet(viewsets.ModelViewSet):
    """The competitors' catalogue. Everyone signed in reads it; admins add, change and
    retire them (`active: false`)."""

    serializer_class = CompetitorSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the competitors' catalogue."
    queryset = Competitor.objects.order_by("name")
    filterset_fields = ["active"]
    search_fields = ["name"]
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class CompetitorPresenceFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    competitor = IdFilter(field_name="competitor_id")

    class Meta:
        model = CompetitorPresence
        fields = ["account", "competitor"]


class CompetitorPresenceSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    competitor = serializers.PrimaryKeyRelatedField(queryset=Competitor.objects.all())
    business_unit = ScopedRelatedField(
        scope=BusinessUnit.objects.visible_to, required=False, allow_null=True
    )
    product_line = serializers.PrimaryKeyRelatedField(
        queryset=ProductLine.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = CompetitorPresence
        fields = ["id", "account", "competitor", "business_unit", "product_line", "notes"]


class CompetitorPresenceViewSet(AccountScopedViewSet):
    """Where competitors are present at the accounts the caller sees; the account team
    records a presence and removes it when the competitor has gone (DELETE, in the
    account's history)."""

    serializer_class = CompetitorPresenceSerializer
    filterset_class = CompetitorPresenceFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            CompetitorPresence.objects.visible_to(self.request.user)
            .select_related("competitor")
            .order_by("competitor__name", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.competitor_presence_add(
            account=account, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        if data.get("account", serializer.instance.account) != serializer.instance.account:
            raise serializers.ValidationError({"account": "A presence cannot move accounts."})
        if {"competitor", "business_unit", "product_line"} & set(data):
            raise serializers.ValidationError(
                {"non_field_errors": ["Change only the notes; record another presence instead."]}
            )
        serializer.save()

    def perform_destroy(self, instance):
        services.competitor_presence_remove(presence=instance, by=self.request.user)

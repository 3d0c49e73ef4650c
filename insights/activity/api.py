"""`GET /api/v1/accounts/{id}/history/` (DESIGN §7, §11): the account's Activity as JSON,
newest first, filtered by `object_type`, `by`, `since` and `until` (`kind` and `user`
are accepted for the first two)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from accounts_app.selectors import account_get_for_user

from .reader import ActivityFilters, activity_count, activity_page
from .sources import KIND_CHOICES

PER_PAGE = 50
ACTIONS = ["created", "changed", "archived", "restored", "deleted"]


class HistoryQuerySerializer(serializers.Serializer):
    object_type = serializers.ChoiceField(choices=KIND_CHOICES, required=False)
    by = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)

    def to_internal_value(self, data):
        data = data.copy()
        for alias, name in (("kind", "object_type"), ("user", "by")):
            if alias in data and name not in data:
                data[name] = data[alias]
        return super().to_internal_value(data)

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": "The end date is before the start date."})
        return attrs


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.SerializerMethodField(help_text="Who; null for Strata itself (a job).")
    object_type = serializers.ChoiceField(choices=KIND_CHOICES)
    object_id = serializers.IntegerField()
    object_label = serializers.CharField()
    action = serializers.ChoiceField(choices=ACTIONS)
    changes = ChangeSerializer(many=True)

    @extend_schema_field(ActorSerializer(allow_null=True))
    def get_by(self, entry) -> dict | None:
        return {"id": entry.by_id, "name": entry.by_name} if entry.by_id else None


class AccountHistoryView(APIView):
    """The history of an account the caller may see (404 otherwise)."""

    @extend_schema(
        parameters=[HistoryQuerySerializer],
        responses=inline_serializer(
            "PaginatedHistoryEntryList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": HistoryEntrySerializer(many=True),
            },
        ),
    )
    def get(self, request, pk):
        account = account_get_for_user(user=request.user, account_id=pk)
        query = HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = ActivityFilters(
            account_id=account.pk,
            kind=data.get("object_type"),
            user_id=data.get("by"),
            since=data.get("since"),
            until=data.get("until"),
        )
        number = data["page"]
        page = activity_page(filters, page=number, per_page=PER_PAGE)
        url = request.build_absolute_uri()
        previous = None
        if number > 1:
            previous = (
                replace_query_param(url, "page", number - 1)
                if number > 2
                else remove_query_param(url, "page")
            )
        return Response(
            {
                "count": activity_count(filters),
                "next": replace_query_param(url, "page", number + 1) if page.has_older else None,
                "previous": previous,
                "results": HistoryEntrySerializer(page.entries, many=True).data,
            }
        )

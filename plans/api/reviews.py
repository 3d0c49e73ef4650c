"""The API of business reviews."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, serializers, viewsets

from accounts_app.models import Account, Contact, User
from accounts_app.selectors import can_edit_account
from core.api import ScopedRelatedField
from core.filters import IdFilter

from .. import reviews
from ..models import BusinessReview, ReviewActionItem


class BusinessReviewFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    held = django_filters.BooleanFilter(field_name="held_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = BusinessReview
        fields = ["account", "kind", "held"]


class ReviewActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewActionItem
        fields = ["id", "text", "owner", "due_date", "done", "agreed_with_customer", "tactic"]
        read_only_fields = fields


class BusinessReviewSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=User.objects.filter(is_active=True)
    )
    customer_attendees = ScopedRelatedField(
        many=True,
        required=False,
        scope=Contact.objects.visible_to,
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    actions = ReviewActionSerializer(many=True, read_only=True)

    class Meta:
        model = BusinessReview
        fields = [
            "id",
            "account",
            "kind",
            "title",
            "scheduled_for",
            "held_on",
            "attendees",
            "customer_attendees",
            "agenda",
            "outcomes",
            "decisions",
            "customer_feedback",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class BusinessReviewViewSet(viewsets.ModelViewSet):
    """Business reviews of the accounts the caller sees (filters: account, kind, held).
    The team writes through the same rules as the pages (plans.reviews): 400 with field
    errors, 403 for those who may see the account but not change it, 404 otherwise."""

    serializer_class = BusinessReviewSerializer
    filterset_class = BusinessReviewFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            BusinessReview.objects.visible_to(self.request.user)
            .prefetch_related("attendees", "customer_attendees", "actions")
            .order_by("-scheduled_for", "-id")
        )

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS:
            self._require_edit(obj.account)

    def _require_edit(self, account) -> None:
        if not can_edit_account(user=self.request.user, account=account):
            raise exceptions.PermissionDenied("You can see this account but not change it.")

    def _save(self, serializer, review=None):
        data = dict(serializer.validated_data)
        account = data.pop("account", review.account if review else None)
        if review is not None and account != review.account:
            raise serializers.ValidationError(
                {"account": "A review cannot move to another account."}
            )
        self._require_edit(account)
        if review is not None:
            data.setdefault("attendees", list(review.attendees.all()))
            data.setdefault("customer_attendees", list(review.customer_attendees.all()))
        try:
            serializer.instance = reviews.review_save(
                account=account, by=self.request.user, review=review, **data
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, review=serializer.instance)

    def perform_destroy(self, instance):
        reviews.review_delete(review=instance, by=self.request.user)

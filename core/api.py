"""The REST API's plumbing, shared by every app's `api` module: the id pattern of the
routes, the admin-writes permission, the foreign key limited to what the caller may see,
amounts typed as people type them, the viewset base for records that hang off an
account, and a list's export action.

The account rules themselves (who may change an account, who may change its team) are
the account's: `account.editable_by(user)` and `account.roster_editable_by(user)`.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import exports
from .converters import ID_REGEX
from .money import AmountError, parse_amount

__all__ = [
    "ID_REGEX",
    "AccountScopedViewSet",
    "AmountField",
    "ArchiveMixin",
    "AmountFieldsMixin",
    "ExportMixin",
    "IsAdminRoleOrReadOnly",
    "ScopedRelatedField",
]


class IsAdminRoleOrReadOnly(permissions.BasePermission):
    """Everyone signed in reads; only admins write. The view may say what they may not
    change (`admin_write_message`)."""

    message = "Only admins change this."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = getattr(view, "admin_write_message", self.message)
        return bool(request.user and request.user.is_admin_role)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key limited to what the caller may see: anything else 'does not exist'.

    `scope(user)` returns the queryset the caller may pick from, usually a model's
    `objects.visible_to`."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


# A decimal string out; in, a number or any string parse_amount reads (no digit pattern).
@extend_schema_field({"type": "string", "format": "decimal"})
class AmountField(serializers.DecimalField):
    """An amount: a JSON number as before, or a string as people type it ("12k", "1.2M",
    "3,034,500"), read by the same parser as the HTML forms (core.money.parse_amount)
    and refused with the same message."""

    default_error_messages = {"invalid": AmountError().message}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = parse_amount(data)
            except AmountError as exc:
                raise serializers.ValidationError(exc.message, code="invalid") from exc
            if data is None:
                if self.allow_null:
                    return None
                self.fail("invalid")
        return super().to_internal_value(data)


class AmountFieldsMixin:
    """A ModelSerializer whose `Meta.amount_fields` are AmountFields, with everything
    else the model field gives them (digits, places, null, its validators)."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name in getattr(self.Meta, "amount_fields", ()):
            field_class = AmountField
        return field_class, kwargs


class AccountScopedViewSet(viewsets.ModelViewSet):
    """Reads through a selector or a `visible_to` scope; every write checks that the
    caller may change the record's account (`account_of`)."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def check_object_permissions(self, request, obj):
        # Before the input is validated: a caller who may not change the object gets a
        # 403 whatever they sent, not a 400 about their input.
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS:
            self.check_write(obj)

    def account_of(self, obj):
        return obj.account

    def check_write(self, obj) -> None:
        self.require_edit(self.account_of(obj))

    # DRF's PermissionDenied, not Django's: the browsable API probes these checks to decide
    # which forms to show and only catches DRF's exceptions.
    def require_edit(self, account) -> None:
        if not account.editable_by(self.request.user):
            raise exceptions.PermissionDenied("You can see this account but not change it.")

    def require_roster(self, account) -> None:
        if not account.roster_editable_by(self.request.user):
            raise exceptions.PermissionDenied(
                "Only the account owner or an admin changes the team."
            )


class ExportMixin:
    """`GET <list>/export/?file_format=csv|xlsx`: the list as a file (DESIGN §10), with
    exactly the rows the list answers for the same query (its filters, search, ordering
    and the caller's scope), unpaginated.

    The viewset names the file (`export_name`) and gives its columns
    (`export_columns()`, a list of core.exports.Column) and the reads they need
    (`export_queryset(queryset)`, e.g. select_related)."""

    export_name = "export"

    def export_columns(self) -> list[exports.Column]:
        raise NotImplementedError

    def export_queryset(self, queryset):
        return queryset

    @extend_schema(
        summary="The list as a CSV or XLSX file",
        description="The rows the list answers for the same filters, search and ordering, "
        "unpaginated. Text that a spreadsheet would run as a formula starts with a `'`.",
        parameters=[
            OpenApiParameter(
                exports.FORMAT_PARAM, str, enum=list(exports.FORMATS), default=exports.CSV
            )
        ],
        responses={
            (200, exports.CONTENT_TYPES[exports.CSV].split(";")[0]): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[exports.XLSX]): OpenApiTypes.BINARY,
        },
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request):
        try:
            file_format = exports.file_format_of(request.query_params)
        except exports.UnknownFormat as exc:
            raise exceptions.ValidationError({exports.FORMAT_PARAM: [str(exc)]}) from exc
        queryset = self.export_queryset(self.filter_queryset(self.get_queryset()))
        return exports.export_response(
            self.export_columns(),
            queryset.iterator(chunk_size=2000),
            name=self.export_name,
            file_format=file_format,
        )


class ArchiveMixin:
    """DELETE archives the record and `POST <id>/restore/` brings it back (DESIGN §11),
    both under the same rule as any other change (`check_write`). The list hides
    archived records unless `archived=true` (core.filters.HidesArchived); a record asked
    for by id is found archived or not.

    The viewset says how: `archive_record(instance)` and `restore_record(instance)`,
    each calling its service with the caller as `by`."""

    def archive_record(self, instance) -> None:
        raise NotImplementedError

    def restore_record(self, instance) -> None:
        raise NotImplementedError

    def filter_queryset(self, queryset):
        return queryset if self.detail else super().filter_queryset(queryset)

    def perform_destroy(self, instance):
        self.archive_record(instance)

    @extend_schema(request=None, summary="Bring an archived record back, as it was")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        instance = self.get_object()
        self.restore_record(instance)
        return Response(self.get_serializer(self.get_queryset().get(pk=instance.pk)).data)

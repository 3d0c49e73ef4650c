"""The organisation's lists (industries, regions) as forms, filters and the API take them:
by id, by name or by code, in any case ("EMEA", "emea", 7). The models are in
models/lists.py; admins keep the entries in Django admin or through `industries/` and
`regions/`."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models.deletion import ProtectedError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from core.api import IsAdminRoleOrReadOnly
from core.openapi import ErrorSerializer

from .models import Industry, Region

LIST_LABELS = {Industry: "industries", Region: "regions"}


def unknown_entry_message(model, value) -> str:
    """What an unknown name gets back: the value and the names the list does have."""
    names = list(model.objects.values_list("name", flat=True)[:30])
    return (
        f"“{value}” is not in the list of {LIST_LABELS[model]} "
        f"(admins keep the list). Choose one of: {', '.join(names)}."
    )


def entry_lookup(queryset, value):
    """The entry `value` (an id, a name or a code, any case) stands for; None if none."""
    if isinstance(value, queryset.model):
        return value
    text = str(value).strip()
    if text.isascii() and text.isdigit():  # "²" is a digit to isdigit(), not to int()
        found = queryset.filter(pk=int(text)).first()
        if found is not None:
            return found
    return queryset.named(text)


class ListEntryChoiceField(forms.ModelChoiceField):
    """A select of the list's entries that also takes a name or a code (API filters)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        entry = entry_lookup(self.queryset, value)
        if entry is None:
            # The text as a parameter, not the message: django-filter formats every
            # message with its params, and a "%" in a value or a name broke that (500).
            raise ValidationError(
                "%(message)s",
                code="invalid_choice",
                params={"message": unknown_entry_message(self.queryset.model, value)},
            )
        return entry


class ListEntryFilter(django_filters.ModelChoiceFilter):
    """Options carry the entry's code, so a filtered list's address reads `?region=emea`."""

    field_class = ListEntryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


@extend_schema_field(
    {"type": "string", "description": "An entry's name (its code or id are taken too)."}
)
class ListEntryField(serializers.RelatedField):
    """An industry or a region in the API: written as its name, code or id, read as its name."""

    default_error_messages = {"unknown": "{message}"}

    def to_representation(self, value):
        return value.name

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("unknown", message="Give the name of an entry of the list.")
        entry = entry_lookup(self.get_queryset(), data)
        if entry is None:
            self.fail("unknown", message=unknown_entry_message(self.queryset.model, data))
        return entry


# --- The lists' own API (admins write) ------------------------------------------------------


class ListEntrySerializer(serializers.ModelSerializer):
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    account_count = serializers.IntegerField(read_only=True)

    class Meta:
        fields = ["id", "name", "code", "position", "account_count"]

    def validate(self, attrs):
        instance = self.instance or self.Meta.model()
        for key, value in attrs.items():
            setattr(instance, key, value)
        instance.full_clean(validate_unique=False)
        attrs["name"], attrs["code"] = instance.name, instance.code
        return attrs


class ListEntryViewSet(viewsets.ModelViewSet):
    """Everyone signed in reads the list; admins add, rename, reorder and remove entries.
    An entry accounts still use cannot be removed (409, with how many)."""

    permission_classes = [IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the organisation's lists."
    model = None

    def get_queryset(self):
        from django.db.models import Count

        return self.model.objects.annotate(account_count=Count("accounts")).order_by(
            "position", "name"
        )

    def perform_create(self, serializer):
        super().perform_create(serializer)
        # Read back with its count (0), which the answer carries like every other.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(ErrorSerializer, description="Accounts still use the entry."),
        }
    )
    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        try:
            entry.delete()
        except ProtectedError:
            return Response(
                {
                    "detail": f"“{entry.name}” is used by {entry.account_count} account(s): "
                    "move them to another entry first, or rename this one."
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndustrySerializer(ListEntrySerializer):
    class Meta(ListEntrySerializer.Meta):
        model = Industry


class RegionSerializer(ListEntrySerializer):
    class Meta(ListEntrySerializer.Meta):
        model = Region


class IndustryViewSet(ListEntryViewSet):
    model = Industry
    serializer_class = IndustrySerializer


class RegionViewSet(ListEntryViewSet):
    model = Region
    serializer_class = RegionSerializer

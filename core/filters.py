"""Filters shared by the HTML lists and the API (django-filter), and the API's `?search=`.

Foreign keys to scoped objects filter by plain number, never by a model choice: a
model choice would answer "not a valid choice" for an id that does not exist but an
empty list for one the user may not see, telling the two apart.
"""

import django_filters
from django import forms
from django.db.models import F
from django.forms.models import ModelChoiceIterator
from django_filters.fields import ModelChoiceField
from rest_framework import exceptions, filters


class IdFilter(django_filters.NumberFilter):
    """A foreign key by number, within the database's id range: anything else is a 400.

    (SQLite raises OverflowError on an id past 64 bits instead of matching nothing.)
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class _ListedChoices(ModelChoiceIterator):
    # Django reads a model choice's options with iterator(): on PostgreSQL a server-side
    # cursor (DECLARE … WITH HOLD), a round trip and a copy of the rows more, for a list
    # of a few hundred people on every page of a list (bench/README.md).
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ListedModelChoiceField(ModelChoiceField):
    iterator = _ListedChoices


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice whose options are read in one plain query."""

    field_class = _ListedModelChoiceField


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering where the fields in `nulls_last` put their empty values last both ways.

    (An account not yet tiered has no rank and no score; PostgreSQL and SQLite would put
    it first in one direction or the other, above the accounts the sort is about.)
    """

    def __init__(self, *args, nulls_last=(), **kwargs):
        self.nulls_last = frozenset(nulls_last)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field_name = value.removeprefix("-")
        if field_name not in self.nulls_last:
            return value
        if value.startswith("-"):
            return F(field_name).desc(nulls_last=True)
        return F(field_name).asc(nulls_last=True)


class HidesArchived:
    """A filterset (django-filter) over records that can be archived (DESIGN §11): its
    `archived` filter lists the archived ones with `archived=true`, the active ones with
    `archived=false`, and the active ones when it is left out or unreadable."""

    @property
    def qs(self):
        queryset = super().qs
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        if cleaned.get("archived") is None:
            queryset = queryset.filter(archived=False)
        return queryset


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=`, with a refused term (a null character) answered like every other
    400: the messages under the parameter's name, not a bare list."""

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({self.search_param: exc.detail}) from exc

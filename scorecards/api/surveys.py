"""The API of voice-of-the-customer rounds: sent by the account team, with their results
(means, gaps, blind spots, comments) for those who may see the account."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts_app.models import Account, Contact
from core.api import ID_REGEX, AccountScopedViewSet, ScopedRelatedField
from core.filters import IdFilter

from .. import surveys
from ..models import SurveyRound, SurveyTemplate
from .fields import figure


class GapSerializer(serializers.Serializer):
    dimension = serializers.IntegerField(source="dimension.pk")
    name = serializers.CharField(source="dimension.name")
    customer_mean = figure(3, 2, source="gap.customer_mean")
    internal_mean = figure(3, 2, source="gap.internal_mean")
    gap = figure(3, 2, source="gap.gap")
    blind_spot = serializers.BooleanField(source="gap.blind_spot")
    customer_answers = serializers.IntegerField()


class CommentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    who = serializers.CharField()
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ResultsSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    predictions = serializers.IntegerField()
    customer_mean = figure(3, 2)
    internal_mean = figure(3, 2)
    dimensions = GapSerializer(many=True)
    comments = serializers.SerializerMethodField()

    def get_comments(self, results) -> list[dict]:
        return [
            {"kind": kind, "who": who, "text": text, "at": at}
            for kind, who, text, at in results.comments
        ]


class SurveyRoundSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    template = serializers.PrimaryKeyRelatedField(
        queryset=SurveyTemplate.objects.filter(active=True)
    )
    contacts = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(), many=True, write_only=True, allow_empty=False
    )
    days_open = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=surveys.MAX_DAYS_OPEN
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRound
        fields = [
            "id",
            "account",
            "template",
            "title",
            "status",
            "expires_at",
            "created_at",
            "contacts",
            "days_open",
            "results",
        ]
        read_only_fields = ["status", "expires_at", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Archived contacts are not sent a survey (DESIGN §11).
            self.fields["contacts"].child_relation.queryset = Contact.objects.visible_to(
                request.user
            ).filter(archived=False)

    @extend_schema(responses=ResultsSerializer)
    def get_results(self, survey) -> dict:
        return ResultsSerializer(surveys.round_results(survey=survey)).data


class SurveyRoundFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")

    class Meta:
        model = SurveyRound
        fields = ["account", "status"]


class SurveyRoundViewSet(AccountScopedViewSet):
    """Voice-of-the-customer rounds with their results (means, gaps, blind spots,
    comments): only for those who may see the account. POST sends a round (the account
    team; each contact gets a single-use link by e-mail); `close/` ends it."""

    serializer_class = SurveyRoundSerializer
    filterset_class = SurveyRoundFilter
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return (
            SurveyRound.objects.visible_to(self.request.user)
            .select_related("template")
            .order_by("account_id", "-created_at", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = surveys.round_create(
            account=account,
            by=self.request.user,
            template=data["template"],
            title=data["title"],
            contacts=data["contacts"],
            days_open=data.get("days_open", surveys.DEFAULT_DAYS_OPEN),
        )

    @extend_schema(request=None, responses={200: SurveyRoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        survey = self.get_object()
        self.require_edit(survey.account)
        surveys.round_close(survey=survey, by=request.user)
        return Response(self.get_serializer(survey).data)

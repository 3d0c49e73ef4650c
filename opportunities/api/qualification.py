"""The API of qualification: the criteria opportunities are qualified against (admins
change them; each change queues the recompute of every stored score), and the shapes of
an opportunity's answers, score and verdict (its `qualification/` route)."""

from rest_framework import permissions, serializers, viewsets

from core.api import ID_REGEX, IsAdminRoleOrReadOnly

from .. import services
from ..models import QualificationCriterion
from ..selectors import VERDICT_LABELS

VERDICTS = list(VERDICT_LABELS.items())


class QualificationCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualificationCriterion
        fields = ["id", "text", "help_text", "weight", "active", "position"]


class QualificationSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Criterion id → 0 (no / unknown), 1 (partly) or 2 (yes); unanswered count 0.",
    )
    criteria = QualificationCriterionSerializer(many=True, read_only=True)
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True, read_only=True
    )
    verdict = serializers.ChoiceField(choices=VERDICTS, allow_null=True, read_only=True)


class QualificationInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Criterion id → 0, 1 or 2. Criteria left out keep their answer.",
    )


class QualificationCriterionViewSet(viewsets.ModelViewSet):
    """The criteria opportunities are qualified against. Everyone signed in reads them;
    admins add, change and deactivate them (`active: false`). A criterion that has been
    answered is deactivated, not deleted: deleting it answers 400."""

    serializer_class = QualificationCriterionSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the qualification criteria."
    queryset = QualificationCriterion.objects.order_by("position", "id")
    filterset_fields = ["active"]
    lookup_value_regex = ID_REGEX

    def perform_destroy(self, instance):
        if instance.answers.exists():
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Opportunities have answered this criterion: deactivate it instead "
                        '(PATCH {"active": false}).'
                    ]
                }
            )
        instance.delete()
        services.qualification_scores_refresh_later()

    def perform_create(self, serializer):
        serializer.save()
        services.qualification_scores_refresh_later()

    def perform_update(self, serializer):
        serializer.save()
        services.qualification_scores_refresh_later()

"""The API of the metric library: everyone signed in reads it; admins change it."""

from rest_framework import permissions, serializers, viewsets

from core.api import ID_REGEX, IsAdminRoleOrReadOnly

from ..models import Metric


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = [
            "id",
            "name",
            "description",
            "unit",
            "perspective",
            "kind",
            "higher_is_better",
            "may_be_negative",
            "joint",
            "active",
            "position",
        ]


class MetricViewSet(viewsets.ModelViewSet):
    """The metric library. Everyone signed in reads it; admins change it. A metric on a
    scorecard is retired (`active: false`), not deleted: deleting it answers 400."""

    serializer_class = MetricSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdminRoleOrReadOnly]
    admin_write_message = "Only admins change the metric library."
    queryset = Metric.objects.order_by("position", "name")
    filterset_fields = ["perspective", "kind", "joint", "active"]
    lookup_value_regex = ID_REGEX

    def perform_destroy(self, instance):
        if instance.lines.exists():
            raise serializers.ValidationError(
                {"non_field_errors": ["The metric is on scorecards: retire it instead."]}
            )
        instance.delete()

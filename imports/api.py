"""`imports/` (DESIGN §7): POST a file (multipart `file`, `kind`, `preset`, `mapping`,
`dry_run` default true) to start a run; GET its status, counts and bad rows. A run with
`dry_run=false` still checks every row first and writes only if none is bad."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.exports import CONTENT_TYPES, CSV, XLSX

from . import services
from .models import ImportJob, Kind, Preset
from .report import errors_file


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    # Declared: a read-only field built from the model loses `allow_blank`, and the
    # schema would leave "" (no preset) out of the choices.
    preset = serializers.ChoiceField(choices=Preset.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "preset",
            "status",
            "dry_run",
            "file_name",
            "mapping",
            "ignored_columns",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "unchanged",
            "errors",
            "error_count",
            "message",
            "dry_run_of",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportStartSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Kind.values)
    preset = serializers.ChoiceField(choices=Preset.values, required=False, allow_blank=True)
    mapping = serializers.JSONField(required=False)
    dry_run = serializers.BooleanField(default=True)

    def validate_mapping(self, value):
        try:
            return services.parse_mapping(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    queryset = ImportJob.objects.none()  # for the schema: the real one needs the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return services.visible_imports(self.request.user).exclude(status=ImportJob.Status.DRAFT)

    def get_serializer_class(self):
        return ImportStartSerializer if self.action == "create" else ImportJobSerializer

    def create(self, request, *args, **kwargs):
        start = ImportStartSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        data = start.validated_data
        upload = data["file"]
        if upload.size > services.max_bytes():
            raise serializers.ValidationError(
                {"file": [f"The file is larger than {services.max_bytes() // 2**20} MB."]}
            )
        job = services.import_start(
            by=request.user,
            kind=data["kind"],
            preset=data.get("preset", ""),
            mapping=data.get("mapping") or {},
            dry_run=data["dry_run"],
            file_name=upload.name,
            content=upload.read(),
        )
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Apply a dry run that found no bad row."""
        applied = services.import_apply(job=self.get_object(), by=request.user)
        applied.refresh_from_db()
        return Response(ImportJobSerializer(applied).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, CONTENT_TYPES[CSV].split(";")[0]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES[XLSX]): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"], url_path="errors-file")
    def errors_file(self, request, pk=None):
        """The uploaded file with an error column, in its own format (CSV or XLSX)."""
        job = self.get_object()
        content, name, content_type = errors_file(job)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

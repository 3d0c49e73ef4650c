"""An import run (a dry run or an apply) and the column mapping saved per kind."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    ACCOUNTS = "accounts", "Accounts"
    CONTACTS = "contacts", "Contacts"
    TEAM_MEMBERS = "team-members", "Team members"
    RELATIONSHIPS = "relationships", "Relationships"
    OPPORTUNITIES = "opportunities", "Opportunities"
    REVENUE = "revenue", "Revenue"


class Preset(models.TextChoices):
    SALESFORCE = "salesforce", "Salesforce export"
    HUBSPOT = "hubspot", "HubSpot export"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Matching columns"
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    preset = models.CharField(max_length=20, choices=Preset.choices, blank=True)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=255)
    # The file itself, in the database: any web node or worker reads it, no shared disk.
    content = models.BinaryField(editable=False)
    mapping = models.JSONField(default=dict, help_text='{"column in the file": "field"}')
    ignored_columns = models.JSONField(default=list)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # [{"row": 2, "column": "Industry", "message": "..."}]; row 1 is the header.
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    # A problem with the file as a whole (not CSV, empty, a column twice...).
    message = models.TextField(blank=True)
    # The ids written by an applied run: {"accounts": {"created": [..], "updated": [..]}}.
    written = models.JSONField(default=dict)
    dry_run_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applied_by",
        help_text="The dry run this run applies.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        mode = "dry run" if self.dry_run else "import"
        return f"{self.get_kind_display()} {mode} of {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_pct(self) -> int:
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))

    @property
    def applicable(self) -> bool:
        """A finished dry run with no bad row and no file problem: it may be applied."""
        return self.status == self.Status.DONE and not self.error_count and not self.message


class SavedMapping(models.Model):
    """The mapping last used for a kind, offered again next time (per kind, shared)."""

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Mapping for {self.kind}"

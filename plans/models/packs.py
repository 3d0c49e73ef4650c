"""Business-review packs as generated (PDFs kept in the database)."""

from django.conf import settings
from django.db import models

from accounts_app.models import Account


class GeneratedPack(models.Model):
    """A business-review pack as generated: an account's (internal or customer version,
    rendered in the request) or the executive portfolio pack (rendered by a Celery job,
    with its progress). Kept with who generated it and when; the PDF is stored in the
    database so any web node serves it (a pack is a few hundred kilobytes to a few
    megabytes). Downloads obey the account's permissions, the portfolio's those of
    executives."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal account pack"
        CUSTOMER = "customer", "Customer account pack"
        PORTFOLIO = "portfolio", "Executive portfolio pack"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="packs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    # The SHA-256 of the pack's HTML: an identical re-download is served from this copy.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["account", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.progress_done / self.progress_total)

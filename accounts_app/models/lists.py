"""The organisation's own lists (DESIGN §10): industries and regions, which admins keep.

Each entry has a name people read and a code scripts and imports may use instead
("EMEA", `emea`). A fresh installation starts with the entries below; after that the
lists are the admins' (Django admin and the `industries/` and `regions/` API). An entry
an account uses cannot be deleted: rename it, or move the accounts first.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify


class DefaultIndustry(models.TextChoices):
    """The industries a fresh installation starts with (code, name)."""

    MANUFACTURING = "manufacturing", "Manufacturing"
    HEALTHCARE = "healthcare", "Healthcare"
    FINANCIAL = "financial_services", "Financial services"
    RETAIL = "retail", "Retail"
    ENERGY = "energy", "Energy & utilities"
    TECHNOLOGY = "technology", "Technology"
    TELECOM = "telecom", "Telecommunications"
    LOGISTICS = "logistics", "Transport & logistics"
    PUBLIC = "public_sector", "Public sector"
    PHARMA = "pharma", "Pharma & life sciences"
    CONSUMER = "consumer_goods", "Consumer goods"
    OTHER = "other", "Other"


class DefaultRegion(models.TextChoices):
    """The regions a fresh installation starts with (code, name)."""

    NORTH_AMERICA = "north_america", "North America"
    LATIN_AMERICA = "latin_america", "Latin America"
    WESTERN_EUROPE = "western_europe", "Western Europe"
    CENTRAL_EUROPE = "central_europe", "Central & Eastern Europe"
    MIDDLE_EAST_AFRICA = "middle_east_africa", "Middle East & Africa"
    ASIA_PACIFIC = "asia_pacific", "Asia Pacific"


def code_for(name: str) -> str:
    """The code an entry gets when none is given: "Middle East & Africa" → middle_east_africa."""
    return slugify(name.replace("&", " ")).replace("-", "_")[:60]


class ListEntryQuerySet(models.QuerySet):
    def named(self, value: str):
        """The entry whose name or code is `value`, in any case; None when there is none."""
        value = (value or "").strip()
        # No name holds a NUL, and PostgreSQL refuses one in a query (a 500, not a miss).
        if not value or "\x00" in value:
            return None
        return (
            self.filter(models.Q(name__iexact=value) | models.Q(code__iexact=value))
            .order_by("pk")
            .first()
        )


class ListEntry(models.Model):
    name = models.CharField(max_length=100)
    code = models.SlugField(
        max_length=60,
        unique=True,
        blank=True,
        help_text="A short key for scripts and imports; made from the name when left empty.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Lists show entries by this number, then by name."
    )

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = code_for(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.name = (self.name or "").strip()
        if not self.code:
            self.code = code_for(self.name)
        clash = (
            type(self)
            .objects.exclude(pk=self.pk)
            .filter(
                models.Q(name__iexact=self.name)
                | models.Q(code__iexact=self.name)
                | models.Q(name__iexact=self.code)
            )
        )
        if clash.exists():
            raise ValidationError({"name": f"“{self.name}” is already in the list."})


class Industry(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name_plural = "industries"
        constraints = [models.UniqueConstraint(Lower("name"), name="industry_unique_name")]


class Region(ListEntry):
    class Meta(ListEntry.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="region_unique_name")]

"""The per-account figures the snapshot job writes, one row per account and day."""

from django.db import models

from core.scope import AccountOwnedQuerySet

from .accounts import Account


class AccountSnapshot(models.Model):
    """Per-account figures computed by the snapshot job, one row per account and day."""

    # No index of its own: the unique (account, date) constraint leads with it.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="snapshots", db_index=False
    )
    date = models.DateField()
    contact_count = models.PositiveIntegerField(default=0)
    relationship_count = models.PositiveIntegerField(default=0)
    business_unit_count = models.PositiveIntegerField(default=0)
    team_size = models.PositiveIntegerField(default=0)
    last_interaction = models.DateField(null=True, blank=True)
    # The Relationship Penetration Index (DESIGN §3) and its parts, as percentages with
    # one decimal; empty in rows written before the index existed.
    rpi = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_high = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_wide = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rpi_deep = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    gap_count = models.PositiveIntegerField(default=0)
    # What the recompute job adds (insights.figures): the scorecard score, the
    # customer survey, plan execution, engagement and account health with its parts
    # (DESIGN §3), the open pipeline and the current plan. Empty where not measured.
    scorecard_score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    survey_mean = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    plan_execution = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    engagement = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    health = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    health_band = models.CharField(max_length=5, blank=True)
    health_components = models.JSONField(default=dict, blank=True)
    pipeline_open_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    pipeline_weighted = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    opportunities_open = models.PositiveIntegerField(default=0)
    opportunities_qualified = models.PositiveIntegerField(default=0)
    opportunities_needs_work = models.PositiveIntegerField(default=0)
    opportunities_unqualified = models.PositiveIntegerField(default=0)
    opportunities_stalled = models.PositiveIntegerField(default=0)
    plan_status = models.CharField(max_length=20, blank=True)
    plan_quality = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    tactics_overdue = models.PositiveIntegerField(default=0)
    # The review (of either kind) the tier's cadence calls for first, and which kind.
    next_review_due = models.DateField(null=True, blank=True)
    next_review_kind = models.CharField(max_length=10, blank=True)
    # From the monthly revenue history, when the account has one (DESIGN §13): the last
    # twelve whole months (also written to the account's annual revenue) and their growth
    # on the twelve before.
    revenue_ttm = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    revenue_yoy_pct = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    # How many of its tier's servicing requirements the account did not meet that day
    # (insights.servicing): 0 meets them all, empty while it has no tier.
    servicing_gaps = models.PositiveSmallIntegerField(null=True, blank=True)
    # Health now less its health 30 days before (the newest earlier snapshot with one):
    # the dashboards' "moved most", read rather than looked up account by account.
    health_change_30d = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    computed_at = models.DateTimeField()

    objects = AccountOwnedQuerySet.at("account").as_manager()

    class Meta:
        ordering = ["account", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="snapshot_one_per_day")
        ]

    def __str__(self):
        return f"{self.account} on {self.date}"

    @property
    def plan_status_label(self) -> str:
        """ "Changes requested" for changes_requested (the plan's status, for display)."""
        return self.plan_status.replace("_", " ").capitalize()

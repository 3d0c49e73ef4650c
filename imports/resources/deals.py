"""Opportunities (matched by external id; stage by name, its default probability when
none is given; the derived figures computed as the opportunity service does) and
revenue (one amount per account and month)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts_app.models import RevenueEntry
from opportunities import formulas
from opportunities.models import Opportunity, QualificationCriterion, Stage, StageChange
from opportunities.services import ensure_defaults

from ..widgets import AmountWidget, DateWidget, MonthWidget, NumberWidget, TextWidget
from .base import ImportResource, chunks, duplicates, field, lookup


class OpportunityResource(ImportResource):
    tracked = (
        "account",
        "name",
        "value",
        "stage",
        "probability",
        "close_date",
        "effort_hours",
        "gross_margin_pct",
        "customer_annual_benefit",
        "customer_investment",
        "horizon_years",
        "external_id",
        "weighted_value",
        "roe",
    )
    clean_exclude = ("owner", "stage_changed_at")
    keep_objects = True

    class Meta(ImportResource.Meta):
        model = Opportunity
        fields = ()

    def __init__(self, ctx, columns):
        ensure_defaults()
        self.stages = {s.name.casefold(): s for s in Stage.objects.order_by("position")}
        self.first_stage = next(iter(self.stages.values()))
        super().__init__(ctx, columns)
        self.fields.update(
            {
                "external_id": field("external_id", TextWidget(max_length=100)),
                "account": lookup("account", self.ctx.account),
                "name": field("name", TextWidget(max_length=200)),
                "value": field("value", AmountWidget()),
                "stage": lookup("stage", self.stage),
                "probability": field("probability", NumberWidget(integer=True)),
                "close_date": field("close_date", DateWidget()),
                "effort_hours": field("effort_hours", NumberWidget(places=1)),
                "gross_margin_pct": field("gross_margin_pct", NumberWidget()),
                "customer_annual_benefit": field("customer_annual_benefit", AmountWidget()),
                "customer_investment": field("customer_investment", AmountWidget()),
                "horizon_years": field("horizon_years", NumberWidget(integer=True)),
            }
        )
        criteria = [
            formulas.Criterion(key=pk, weight=w, active=a)
            for pk, w, a in QualificationCriterion.objects.values_list("pk", "weight", "active")
        ]
        self.empty_score = formulas.qualification_score(criteria, {})

    def stage(self, value):
        found = self.stages.get(value.casefold())
        if found is None:
            names = ", ".join(s.name for s in self.stages.values())
            raise ValueError(f"“{value}” is not a stage ({names}).")
        return found

    def prepare(self, rows):
        self.file_errors.update(
            duplicates(rows, lambda r: r.get("external_id") or None, "external_id")
        )
        exts = [r["external_id"] for r in rows if r and r.get("external_id")]
        known = {}
        for chunk in chunks(exts):
            known.update(
                (ext, (pk, account_id))
                for pk, ext, account_id in Opportunity.objects.filter(
                    external_id__in=chunk
                ).values_list("pk", "external_id", "account_id")
            )
        for row in rows:
            if row is None or row.get("external_id") not in known:
                continue
            pk, account_id = known[row["external_id"]]
            if not self.ctx.sees(account_id):
                self.file_errors.setdefault(row["__row"], {})["external_id"] = (
                    f"Unknown opportunity “{row['external_id']}”, or one you may not change."
                )
            else:
                self.match[row["__row"]] = pk

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self._old_stage = None if new else instance.stage_id

    def import_instance(self, instance, row, **kwargs):
        bad = None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            bad = exc  # the stage and probability still default: no second, wrong message
        if not instance.external_id:
            instance.external_id = None
        if instance.stage_id is None:
            instance.stage = self.first_stage
        moved = instance.pk is None or instance.stage_id != self._old_stage
        if moved:
            instance.stage_changed_at = timezone.now()
            if not (row.get("probability") or "").strip():
                instance.probability = instance.stage.default_probability
        if instance.pk is None:
            instance.qualification_score = self.empty_score
        instance.weighted_value = formulas.weighted_value(instance.value, instance.probability)
        instance.roe = formulas.return_on_effort(
            instance.weighted_value,
            instance.gross_margin_pct,
            instance.effort_hours,
            settings.STRATA_HOURLY_COST_RATE,
        )
        if bad is not None:
            raise bad

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "stage_changed_at"]

    def finish(self, rows, *, dry_run):
        if dry_run:
            return {}
        # untracked: StageChange is itself the stage history
        StageChange.objects.bulk_create(
            [
                StageChange(opportunity_id=o.pk, to_stage_id=o.stage_id, by=self.ctx.user)
                for n, o in self.row_objects.items()
                if self.row_types.get(n) == "new"
            ],
            batch_size=1000,
        )
        return self.written()


class RevenueResource(ImportResource):
    tracked = ("amount",)
    keep_objects = True

    class Meta(ImportResource.Meta):
        model = RevenueEntry
        fields = ()

    def __init__(self, ctx, columns):
        super().__init__(ctx, columns)
        self.fields.update(
            {
                "account": lookup("account", self.ctx.account),
                "month": field("month", MonthWidget()),
                "amount": field("amount", AmountWidget()),
            }
        )

    def prepare(self, rows):
        month = MonthWidget()
        keys = self.keyed_rows(
            rows,
            lambda row: (
                self.ctx.account_id(row.get("account", "")),
                month.clean(row.get("month")),
            ),
        )
        self.match_natural_keys(
            rows, keys, label="month", model=RevenueEntry, fields=("account_id", "month")
        )

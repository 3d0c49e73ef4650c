"""The pipeline as a file (DESIGN §10): the columns of `opportunities/export/` and of the
pipeline pages' Export links (which use that action with the page's query string)."""

from django.db.models import QuerySet

from core.exports import Column, label, name_of

from . import formulas, selectors
from .models import Opportunity


def _roi_pct(o: Opportunity):
    return formulas.customer_roi_pct(
        o.customer_annual_benefit, o.horizon_years, o.customer_investment
    )


def _payback_months(o: Opportunity):
    return formulas.payback_months(o.customer_annual_benefit, o.customer_investment)


def _verdict(o: Opportunity) -> str:
    return selectors.VERDICT_LABELS.get(formulas.verdict(o.qualification_score), "")


def opportunity_columns() -> list[Column]:
    return [
        Column("id", lambda o: o.pk),
        Column("account_id", lambda o: o.account_id),
        Column("account", lambda o: o.account.name),
        Column("name", lambda o: o.name),
        Column("stage", lambda o: o.stage.name),
        Column("status", lambda o: label(o.stage, "outcome")),
        Column("value", lambda o: o.value),
        Column("probability", lambda o: o.probability),
        Column("weighted_value", lambda o: o.weighted_value),
        Column("close_date", lambda o: o.close_date),
        Column("owner_id", lambda o: o.owner_id),
        Column("owner", lambda o: name_of(o.owner)),
        Column("product_line", lambda o: name_of(o.product_line)),
        Column("business_unit_id", lambda o: o.business_unit_id),
        Column("business_unit", lambda o: name_of(o.business_unit)),
        Column("effort_hours", lambda o: o.effort_hours),
        Column("gross_margin_pct", lambda o: o.gross_margin_pct),
        Column("customer_annual_benefit", lambda o: o.customer_annual_benefit),
        Column("customer_investment", lambda o: o.customer_investment),
        Column("horizon_years", lambda o: o.horizon_years),
        Column("qualification_score", lambda o: o.qualification_score),
        Column("verdict", _verdict),
        Column("roi_pct", _roi_pct),
        Column("payback_months", _payback_months),
        Column("roe", lambda o: o.roe),
        Column("stalled", selectors.is_stalled),
        Column("stage_changed_at", lambda o: o.stage_changed_at),
        Column("created_at", lambda o: o.created_at),
        Column("updated_at", lambda o: o.updated_at),
    ]


def opportunity_export_queryset(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What the columns read, joined (a constant number of queries for any rows)."""
    return queryset.select_related("account", "stage", "owner", "product_line", "business_unit")

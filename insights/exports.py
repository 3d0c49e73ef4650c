"""The accounts list as a file (DESIGN §10): the columns of `accounts/export/` and of the
accounts page's Export links, which use the same action with the page's query string.
(One account whole, as JSON, is insights.account_export.)"""

from accounts_app.models import Account, User
from core.exports import Column, label, name_of


def kept_list_name(account: Account, field: str) -> str:
    """The industry or the region as people read it (an entry of the organisation's
    lists): the one place the export reads them."""
    return name_of(getattr(account, field))


def _tier_assignment(account: Account):
    return getattr(account, "tier_assignment", None)


def _tier_name(account: Account) -> str | None:
    assignment = _tier_assignment(account)
    return assignment.tier.name if assignment else None


def _tier_pinned(account: Account) -> bool:
    assignment = _tier_assignment(account)
    return bool(assignment and assignment.pinned)


def _segmentation_score(account: Account):
    assignment = _tier_assignment(account)
    return assignment.composite if assignment else None


def account_columns(*, user: User) -> list[Column]:
    """The accounts list's columns: ids to import back, names and labels to read.

    A parent's name is written only where `user` may see the parent (as on the page);
    its id is in the API's list anyway."""
    visible_parent = _parent_visibility(user)
    return [
        Column("id", lambda a: a.pk),
        Column("name", lambda a: a.name),
        Column("parent_id", lambda a: a.parent_id),
        Column("parent", lambda a: a.parent.name if visible_parent(a.parent_id) else None),
        Column("industry", lambda a: kept_list_name(a, "industry")),
        Column("region", lambda a: kept_list_name(a, "region")),
        Column("lifecycle_stage", lambda a: label(a, "lifecycle_stage")),
        Column("owner_id", lambda a: a.owner_id),
        Column("owner", lambda a: name_of(a.owner)),
        Column("annual_revenue", lambda a: a.annual_revenue),
        Column("wallet_estimate", lambda a: a.wallet_estimate),
        Column("gross_margin_pct", lambda a: a.gross_margin_pct),
        Column("share_of_wallet_pct", lambda a: a.share_of_wallet_pct),
        Column("strategic_value", lambda a: a.strategic_value),
        Column("strategic_value_reason", lambda a: a.strategic_value_reason),
        Column("tier", _tier_name),
        Column("tier_pinned", _tier_pinned),
        Column("segmentation_score", _segmentation_score),
        Column("rpi", lambda a: getattr(a, "rpi", None)),
        Column("contacts", lambda a: getattr(a, "contact_count", None)),
        Column("last_interaction", lambda a: getattr(a, "last_interaction", None)),
        Column("website", lambda a: a.website),
        Column("description", lambda a: a.description),
        Column("archived", lambda a: a.archived),
        Column("created_at", lambda a: a.created_at),
        Column("updated_at", lambda a: a.updated_at),
    ]


def _parent_visibility(user: User):
    if user.sees_every_account:
        return lambda parent_id: parent_id is not None
    visible: set[int] | None = None

    def visible_parent(parent_id: int | None) -> bool:
        nonlocal visible
        if parent_id is None:
            return False
        if visible is None:  # read once, and only if a row has a parent
            visible = set(Account.objects.visible_to(user).values_list("pk", flat=True))
        return parent_id in visible

    return visible_parent

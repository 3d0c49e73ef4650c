"""Business-review packs (DESIGN §6): an account's PDF, internal or for the customer
(account.py), the sections each prints and where its contents list goes (contents.py),
rendered and downloaded as files (files.py), and the executive portfolio pack rendered
by a job (portfolio.py). WeasyPrint renders the templates under templates/packs/."""

from .account import CUSTOMER, INTERNAL, VARIANTS, pack_context
from .files import download_response, pack_filename, pack_response, page_count, render_account_pack
from .portfolio import (
    portfolio_account_count,
    portfolio_accounts,
    portfolio_context,
    portfolio_pack_render,
    portfolio_pack_start,
)

__all__ = [
    "CUSTOMER",
    "INTERNAL",
    "VARIANTS",
    "download_response",
    "pack_context",
    "pack_filename",
    "pack_response",
    "page_count",
    "portfolio_account_count",
    "portfolio_accounts",
    "portfolio_context",
    "portfolio_pack_render",
    "portfolio_pack_start",
    "render_account_pack",
]

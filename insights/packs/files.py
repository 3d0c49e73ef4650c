"""Packs as files: rendering an account's pack to PDF, its file name and page count,
the download (kept with who generated it and when)."""

import hashlib
import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader

from accounts_app.models import Account, User
from core.pdf import html_to_pdf, render_pdf
from plans.models import GeneratedPack

from .account import pack_context


def render_account_pack(*, account: Account, variant: str, user: User) -> bytes:
    return render_pdf(
        "packs/account.html", pack_context(account=account, variant=variant, user=user)
    )


def pack_filename(*, account: Account | None, variant: str, day=None) -> str:
    day = day or timezone.localdate()
    name = slugify(account.name) or "account" if account else "portfolio"
    return f"{name}-review-pack-{variant}-{day:%Y-%m-%d}.pdf"


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def download_response(pack: GeneratedPack) -> HttpResponse:
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    filename = pack_filename(
        account=pack.account, variant=pack.kind, day=timezone.localdate(pack.created_at)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def pack_response(*, account: Account, variant: str, user: User) -> HttpResponse:
    """The account's pack as a download, rendered in the request (a second or two:
    bench/packs.py) and kept with who generated it and when. While nothing in it changed
    (the same HTML, so the same day, data and reader), the stored copy is served."""
    html = render_to_string(
        "packs/account.html", pack_context(account=account, variant=variant, user=user)
    )
    fingerprint = hashlib.sha256(html.encode()).hexdigest()
    stored = (
        GeneratedPack.objects.filter(
            account=account, kind=variant, status=GeneratedPack.Status.DONE
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if stored is not None and stored.fingerprint == fingerprint:
        return download_response(stored)
    pdf = html_to_pdf(html)
    pack = GeneratedPack.objects.create(
        kind=variant,
        account=account,
        status=GeneratedPack.Status.DONE,
        pdf=pdf,
        fingerprint=fingerprint,
        pages=page_count(pdf),
        size=len(pdf),
        requested_by=user,
        finished_at=timezone.now(),
    )
    return download_response(pack)

"""PDF rendering with WeasyPrint, fetching nothing but `data:` URLs and our static files.

Templates link stylesheets and images with `{% static %}`; the document's base URL is
a sentinel host, so those links become `https://strata.pdf/static/...`, which the
fetcher reads from the collected static files (or the app finders in development).
Every other URL — the network, `file:` paths, user-supplied addresses — is refused.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

BASE_URL = "https://strata.pdf/"
_SENTINEL_HOST = "strata.pdf"


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %s", url)
            raise ValueError(f"PDF rendering fetches only data: URLs and static files: {url}")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != _SENTINEL_HOST:
            return None
        if not parts.path.startswith(settings.STATIC_URL):
            return None
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        if not relative or ".." in Path(relative).parts:
            return None
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
        # Development without collectstatic: the static folders are the source.
        found = finders.find(relative)
        return Path(found) if found else None


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))

"""The Content-Security-Policy: on every answer, no inline script or style allowed, and
no template that would need one (event-handler attributes, inline <script>, style
attributes or <style> blocks). The pages themselves are walked in a browser that fails on
any violation (tests/e2e/test_phone_and_axe.py, tests/e2e/test_csp_flow.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# WeasyPrint reads these; no browser ever loads them, and they need their <style>.
PDF_ONLY = re.compile(r"(^|/)pdf/")
COMMENT = re.compile(r"\{#.*?#\}")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_every_page_answers_with_the_policy_and_it_allows_nothing_inline(client, teammate):
    client.force_login(teammate)
    for path in ("/", "/accounts/", "/alerts/", "/api/docs/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = directives(response["Content-Security-Policy"])
        for kind in ("script-src", "style-src"):
            assert policy[kind] == ["'self'"], (path, kind, policy[kind])
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_the_sign_in_page_and_the_public_survey_page_carry_it_too(client):
    for path in ("/login/", "/s/no-such-token/"):
        header = client.get(path)["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header


def test_no_template_a_browser_loads_has_inline_script_handlers_or_styles():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if PDF_ONLY.search(name):
            continue
        text = COMMENT.sub("", path.read_text())
        for kind, pattern in (
            ("event handler", INLINE_HANDLER),
            ("inline script", INLINE_SCRIPT),
            ("inline style", INLINE_STYLE),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {kind}: {match.group(0).strip()}")
    assert not found, "\n".join(found)


def test_htmx_may_not_eval_nor_inject_its_indicator_styles(client, teammate):
    client.force_login(teammate)
    html = client.get("/accounts/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html).group(1)
    assert '"allowEval":false' in config
    assert '"includeIndicatorStyles":false' in config
    # The refused saves and conflicts are still swapped (STACK-NOTES, core/http.py).
    assert '{"code":"422","swap":true,"error":false}' in config


def test_the_api_docs_load_their_script_from_a_url_not_inline(client, teammate):
    client.force_login(teammate)
    html = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html)
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_server_error_page_has_no_inline_style():
    html = render_to_string("500.html")
    assert not INLINE_STYLE.search(html) and "css/error" in html


def test_a_pdf_answers_without_the_policy_and_a_page_with_it(rf):
    from django.http import HttpResponse

    from core.csp import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    request = rf.get("/packs/1/download/")
    middleware.process_request(request)
    pdf = middleware.process_response(
        request, HttpResponse(b"%PDF-", content_type="application/pdf")
    )
    assert "Content-Security-Policy" not in pdf
    page = middleware.process_response(request, HttpResponse(b"<p>", content_type="text/html"))
    assert "'self'" in page["Content-Security-Policy"]

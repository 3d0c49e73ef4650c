"""The Content-Security-Policy middleware: django-csp's, except on PDFs.

A policy guards a document that runs scripts. A PDF runs none of Strata's, and Chromium
opens it in its built-in viewer, which a strict policy (object-src 'none') has been known
to block: packs and one-pagers answer without the header. HTML, SVG (the relationship
map), JSON and JavaScript keep it."""

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)

"""The browser-facing headers every response carries (API JSON, errors, health checks).

A small module of our own rather than flask-talisman: talisman is unmaintained since 2023 and
mostly manages what an HTML app needs (nonces, HTTPS redirects, feature policies); here the
policy is a handful of fixed headers. The Content-Security-Policy is strict on purpose, so the
coming web UI must serve its CSS and JavaScript as files from 'self' (no inline script or style,
no CDN, no framing): a script injected into a page then has nothing it may load or run.

``Cache-Control: no-store`` on everything under /api keeps personal data out of browser and
proxy caches (a shared computer in a municipal office). HSTS is sent only in production, where
the app is served over HTTPS; sending it from a development server on http would pin a browser
to HTTPS for localhost.

The ``Server`` header is written by the HTTP server, not the app: the app never sends one, and
removes one that a middleware added. Werkzeug's development server always adds its own
(``Werkzeug/x Python/y``; development only); gunicorn adds ``Server: gunicorn`` (no version),
which the deployment can blank in its config.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: Two years, with subdomains: the figure hstspreload.org asks for.
HSTS = "max-age=63072000; includeSubDomains"

ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: Paths whose responses may carry personal data, so no cache may keep them.
NO_STORE_PREFIXES = ("/api/",)


def _add_security_headers(production: bool):
    def add(response: Response) -> Response:
        for name, value in ALWAYS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith(NO_STORE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        if production:
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers.pop("Server", None)
        return response

    return add


def init_app(app: Flask) -> None:
    # Registered first, so it runs last of the after_request functions and sees every header.
    app.after_request(_add_security_headers(app.config["ENV"] == "production"))

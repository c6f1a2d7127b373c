"""Cross-site request forgery protection: a browser may change state only from our own origin.

A session cookie goes along with any request the browser sends, also a form another site posts
to ``…/x/due/reminders/run``; SameSite=Lax stops only some of those (not a same-site subdomain,
not older browsers). So every unsafe request (POST, PUT, PATCH, DELETE) passes one check,
before any view runs, modelled on Go 1.25's ``net/http.CrossOriginProtection``:

* ``Sec-Fetch-Site: same-origin`` or ``none`` (typed in, a bookmark) → allowed;
  ``same-site`` or ``cross-site`` → refused, unless the ``Origin`` is a trusted one;
* no ``Sec-Fetch-Site`` (an older browser) → the ``Origin``'s host must be the request's ``Host``
  (or the origin trusted);
* neither header → not a browser (curl, a script, a municipal system): allowed, since forgery
  needs a browser that adds the victim's cookie.

No token to embed in forms, so the web UI's HTML forms get the same protection for free.
Requests with a bearer token are exempt: a browser never adds an ``Authorization`` header on its
own, so another site cannot make one carry it. Extra origins that may post (an intranet portal
on another host) are listed in ``VELFERD_TRUSTED_ORIGINS``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

from velferd.api.errors import error_response
from velferd.config import ConfigurationError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def parse_trusted_origins(text: str) -> frozenset[str]:
    """``"https://a.example https://b.example:8443"`` (spaces or commas) → the origins; each must be
    a bare ``scheme://host[:port]`` as browsers send it in ``Origin``."""
    origins = set()
    for item in text.replace(",", " ").split():
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise ConfigurationError(f"VELFERD_TRUSTED_ORIGINS: '{item}' is not an origin like https://intranet.example")
        origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    return frozenset(origins)


def cross_origin_refusal(method: str, headers, host: str, trusted: frozenset[str]) -> str | None:
    """Why this request looks forged by another site, or None when it may go ahead."""
    if method in SAFE_METHODS or headers.get("Authorization", "").lower().startswith("bearer "):
        return None
    origin = headers.get("Origin", "")
    fetch_site = headers.get("Sec-Fetch-Site", "")
    if fetch_site:
        if fetch_site in ALLOWED_FETCH_SITES or origin.lower() in trusted:
            return None
        return f"cross-origin request refused (Sec-Fetch-Site: {fetch_site[:20]})"
    if not origin:
        return None
    if urlsplit(origin).netloc.lower() == host.lower() or origin.lower() in trusted:
        return None
    return "cross-origin request refused (the Origin is not this site)"


def _refuse_cross_origin_requests(trusted: frozenset[str]):
    def check():
        reason = cross_origin_refusal(request.method, request.headers, request.host, trusted)
        if reason is not None:
            return error_response(403, f"{reason}: send it from this site's own pages, or with a bearer token")
        return None

    return check


def init_app(app: Flask) -> None:
    """Registered before every other before_request function, so no view or tenant lookup runs."""
    trusted = parse_trusted_origins(app.config["TRUSTED_ORIGINS"])
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_cross_origin_requests(trusted))

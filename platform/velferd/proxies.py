"""Behind a reverse proxy, the client is whoever the proxy says it is — but only that proxy.

``VELFERD_TRUSTED_PROXIES`` is how many proxies stand in front of the app (a load balancer and
nginx: 2). Werkzeug's ProxyFix then takes the client address, scheme and host from the
``X-Forwarded-*`` headers those proxies appended, counting from the right, so a client cannot
forge its address by sending the header itself; with 0 (the default: the app is reached
directly) the headers are ignored. The address is what audit rows record as ``remote_addr``,
and the host is what the cross-origin check compares the ``Origin`` with.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    count = app.config["TRUSTED_PROXIES"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)

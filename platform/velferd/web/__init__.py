"""The web interface: server-rendered pages under ``/`` and ``/t/<tenant>/…`` for the people who
work in Velferd, from the same services the API uses (login, sessions, tenant scoping, cases).

`init_app` wires Flask-Babel (velferd.web.i18n), the template loader a plugin adds its own
``templates/`` folder to (velferd.web.templating), the core's pages (one module per area, all
on velferd.web.blueprint's `blp`) and the plugins' pages (velferd.web.plugin_pages).
"""

from __future__ import annotations

from flask import Flask

# the page modules add their routes to blueprint.blp and their menu entries, in menu order
from velferd.web import case_pages, i18n, pages, plugin_pages, templating  # noqa: F401, I001
from velferd.web.blueprint import blp


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    templating.init_app(app)
    app.register_blueprint(blp)
    plugin_pages.init_app(app, app.extensions["velferd.plugins"])

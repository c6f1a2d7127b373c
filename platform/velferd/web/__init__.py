"""The web interface: server-rendered pages under ``/`` and ``/t/<tenant>/…`` for the people who
work in Velferd, from the same services the API uses (login, sessions, tenant scoping, cases).

`init_app` wires Flask-Babel (velferd.web.i18n), the template loader a plugin adds its own
``templates/`` folder to (velferd.web.templating), the core's pages (one module per area, all
on velferd.web.blueprint's `blp`) and the plugins' pages (velferd.web.plugin_pages).
"""

from __future__ import annotations

from flask import Flask

# the page modules add their routes to blueprint.blp and their menu entries, in menu order
from velferd.web import i18n, plugin_pages, templating

# the page modules: each adds its routes to blueprint.blp and its menu entries when imported
from velferd.web import pages  # noqa: F401, I001
from velferd.web import case_pages  # noqa: F401, I001
from velferd.web import tasks_pages  # noqa: F401, I001
from velferd.web import dashboard_pages  # noqa: F401, I001
from velferd.web import admin_pages, admin_members_pages, admin_units_pages  # noqa: F401, I001
from velferd.web import people_pages  # noqa: F401, I001
from velferd.web import case_records_pages  # noqa: F401, I001
from velferd.web import finance_pages  # noqa: F401, I001
from velferd.web import operator_pages  # noqa: F401, I001
from velferd.web.blueprint import blp


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    templating.init_app(app)
    app.register_blueprint(blp)
    plugin_pages.init_app(app, app.extensions["velferd.plugins"])

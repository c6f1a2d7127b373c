"""The web interface: server-rendered pages under ``/`` and ``/t/<tenant>/…`` for the people who
work in Velferd, from the same services the API uses (login, sessions, tenant scoping, cases).

`init_app` wires Flask-Babel (velferd.web.i18n), the template loader a plugin adds its own
``templates/`` folder to (velferd.web.templating), the core's pages (one module per area, all
on velferd.web.blueprint's `blp`) and the plugins' pages (velferd.web.plugin_pages), their public ones too
(velferd.web.public_pages).
"""

from __future__ import annotations

from flask import Flask

# the page modules: each adds its routes to blueprint.blp and its menu entries when imported
# (navigation.MENU_ORDER places the entries)
from velferd.web import (  # noqa: F401
    admin_members_pages,
    admin_pages,
    admin_units_pages,
    break_glass_pages,
    case_pages,
    case_records_pages,
    dashboard_pages,
    finance_pages,
    i18n,
    operator_pages,
    pages,
    people_pages,
    person_exports_pages,
    plugin_pages,
    public_pages,
    retention_pages,
    tasks_pages,
    templating,
)
from velferd.web.blueprint import blp


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    templating.init_app(app)
    app.register_blueprint(blp)
    plugin_pages.init_app(app, app.extensions["velferd.plugins"])
    public_pages.init_app(app, app.extensions["velferd.plugins"])

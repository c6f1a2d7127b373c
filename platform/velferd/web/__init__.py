"""The web interface: server-rendered pages under ``/`` and ``/t/<tenant>/…`` for the people who
work in Velferd, from the same services the API uses (login, sessions, tenant scoping, cases).

`init_app` wires Flask-Babel (velferd.web.i18n), the template loader a plugin will add its own
``templates/`` folder to (velferd.web.templating), and the pages (velferd.web.pages).
"""

from __future__ import annotations

from flask import Flask

from velferd.web import i18n, pages, templating


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    templating.init_app(app)
    app.register_blueprint(pages.blp)

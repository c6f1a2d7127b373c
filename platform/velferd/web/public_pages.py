"""Plugins' public pages: what a programme publishes for people who have no account — a drop-in
centre's schedule, read by the citizens and the centre's staff without logging in.

A plugin declares them as its own blueprint (`WebPages.public_blueprint`); the core mounts it at
``/p/<town>/<plugin id>``, apart from the staff's ``/t/<tenant>/…``, so that nothing there
passes the login and membership check (velferd.api.context) and nothing of the staff's pages is
reachable without it. Before a public view runs, the URL's municipality is looked up and put in
scope — the ORM's tenant filter and PostgreSQL's row-level security then keep every query to it —
and a municipality that does not exist or has not enabled the plugin answers 404, as it does to
a stranger on the staff's side. The views take no ``town`` argument; they build links with
``url_for(…, town=current_tenant().slug)``.

What may be shown is the plugin's responsibility, and the rule is in the name: no personal data.
The pages are not audited (no person or case is read) and get the core's error pages and
no-cache header like every other page.
"""

from __future__ import annotations

from flask import Flask, g, request

from velferd.api.context import tenant_by_slug
from velferd.plugins.enablement import require_enabled
from velferd.plugins.manager import PluginRegistry
from velferd.tenancy import set_current_tenant
from velferd.web.blueprint import serve_as_pages

PUBLIC_PREFIX = "/p/<town>"
OWNERS = "velferd.public_blueprints"


def public_url_prefix(plugin_id: str) -> str:
    return f"{PUBLIC_PREFIX}/{plugin_id}"


def _pull_town(app: Flask):
    def pull(endpoint, values) -> None:
        blueprint = (endpoint or "").rpartition(".")[0]
        if values and "town" in values and blueprint in app.extensions[OWNERS]:
            g.velferd_public_town = values.pop("town")

    return pull


def _enter_town(app: Flask):
    def enter() -> None:
        slug = g.pop("velferd_public_town", None)
        if slug is None:
            return
        tenant = tenant_by_slug(slug)
        set_current_tenant(tenant)  # first: the enablement is the tenant's own row
        require_enabled(tenant, app.extensions[OWNERS][request.blueprint])

    return enter


def init_app(app: Flask, plugins: PluginRegistry) -> None:
    owners = app.extensions.setdefault(OWNERS, {})
    for plugin_id, blueprints in plugins.public_page_blueprints.items():
        for blueprint in blueprints:
            app.register_blueprint(serve_as_pages(blueprint), url_prefix=public_url_prefix(plugin_id))
            owners[blueprint.name] = plugin_id
    app.url_value_preprocessor(_pull_town(app))
    app.before_request(_enter_town(app))

"""The REST API under /api, documented by flask-smorest at /api/openapi.json."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.routing import IntegerConverter

from velferd.api import (
    audit_api,
    cases_api,
    context,
    decisions_api,
    duplicates_api,
    errors,
    forms_api,
    invoices_api,
    jobs_api,
    openapi,
    operator_api,
    people_api,
    plugins_api,
    privacy_api,
    request_edge,
    retention_api,
    session_api,
    tenant_api,
)
from velferd.api.context import TENANT_PREFIX
from velferd.api.schemas import MAX_ID
from velferd.plugins.manager import PluginRegistry

CORE_BLUEPRINTS = (
    session_api.blp, operator_api.blp, tenant_api.blp, plugins_api.blp, people_api.blp,
    cases_api.blp, forms_api.blp, decisions_api.blp, audit_api.blp, invoices_api.blp,
    jobs_api.blp, duplicates_api.blp,
    retention_api.blp,
    privacy_api.blp,
)


def plugin_url_prefix(plugin_id: str) -> str:
    return f"{TENANT_PREFIX}/x/{plugin_id}"


class _IdConverter(IntegerConverter):
    """``<int:…>`` in routes: an id beyond the database's integer range matches no route (404)
    instead of reaching the database and failing there (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask, plugins: PluginRegistry) -> None:
    app.url_map.converters["int"] = _IdConverter  # before any blueprint's routes are added
    api = openapi.make_api(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    openapi.document_plugins(api, plugins)
    for blueprint in CORE_BLUEPRINTS:
        api.register_blueprint(blueprint)
    request_edge.init_app_before_tenant(app)
    context.init_app(app)
    request_edge.init_app_after_tenant(app)
    owners = app.extensions["velferd.plugin_blueprints"]
    for plugin_id, blueprints in plugins.blueprints.items():
        for blueprint in blueprints:
            register = api.register_blueprint if isinstance(blueprint, ApiBlueprint) else app.register_blueprint
            register(blueprint, url_prefix=plugin_url_prefix(plugin_id))
            owners[blueprint.name] = plugin_id
    errors.init_app(app)
    app.extensions["velferd.api"] = api

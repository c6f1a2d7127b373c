"""Every request under ``/api/t/<tenant>/…`` passes here first: the tenant comes from the URL,
the caller must be a member of it, and a plugin's routes exist only where it is enabled."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from sqlalchemy.orm import make_transient_to_detached

from velferd.auth import authenticate_for_tenant
from velferd.db import db
from velferd.errors import NotFound
from velferd.models import Tenant
from velferd.plugins.enablement import require_enabled
from velferd.tenancy import current_tenant, set_current_tenant

TENANT_PREFIX = "/api/t/<tenant>"
TENANT_COPIES_KEY = "velferd.tenant_copies"
MOVING_COLUMNS = frozenset({"config_version"})


def tenant_by_slug(slug: str) -> Tenant:
    """The tenant the URL names, in this request's session. Tenant rows never change once made
    (the app role may only insert them; see velferd.rls), so each process reads a slug once and
    then merges its copy into the request's session without a query. The one column that does
    move, ``config_version``, is left out of the copy: it is read fresh with the caller."""
    copies = current_app.extensions.setdefault(TENANT_COPIES_KEY, {})
    copy = copies.get(slug)
    if copy is None:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise NotFound(f"no tenant '{slug}'")
        copies[slug] = _detached_copy(tenant)
        return tenant
    return db.session.merge(copy, load=False)


def _detached_copy(tenant: Tenant) -> Tenant:
    columns = {column.key: getattr(tenant, column.key) for column in sa.inspect(Tenant).column_attrs
               if column.key not in MOVING_COLUMNS}
    copy = Tenant(**columns)
    make_transient_to_detached(copy)
    return copy


def _pull_tenant_slug(endpoint, values) -> None:
    if values and "tenant" in values:
        g.velferd_tenant_slug = values.pop("tenant")


def _enter_tenant() -> None:
    slug = g.pop("velferd_tenant_slug", None)
    if slug is None:
        return
    tenant = tenant_by_slug(slug)
    set_current_tenant(tenant)
    authenticate_for_tenant(tenant)
    plugin_id = _plugin_of_blueprints(request.blueprints)
    if plugin_id is not None:
        require_enabled(tenant, plugin_id)


def _plugin_of_blueprints(names) -> str | None:
    owners = g.get("velferd_plugin_blueprints") or {}
    return next((owners[n] for n in names if n in owners), None)


def _expose_plugin_blueprints(app: Flask):
    def expose() -> None:
        g.velferd_plugin_blueprints = app.extensions["velferd.plugin_blueprints"]

    return expose


def tenant() -> Tenant:
    """The tenant of this request (set by `_enter_tenant`)."""
    return current_tenant()


def init_app(app: Flask) -> None:
    app.extensions.setdefault("velferd.plugin_blueprints", {})
    app.url_value_preprocessor(_pull_tenant_slug)
    app.before_request(_expose_plugin_blueprints(app))
    app.before_request(_enter_tenant)

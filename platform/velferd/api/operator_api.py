"""What only the platform operator does: create tenants, block a plugin everywhere, read the login log."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from velferd import tenants
from velferd.api.account_schemas import LoginEventQuerySchema, LoginEventSchema
from velferd.api.schemas import BlockSchema, TenantCreateSchema, TenantSchema
from velferd.auth import current_user, require_operator
from velferd.db import db
from velferd.models import LoginEvent, Tenant
from velferd.plugins import enablement

blp = Blueprint("operator", __name__, url_prefix="/api/operator", description="Platform operation")


@blp.before_request
def _operators_only() -> None:
    """Who is asking comes before what they sent: a stranger gets 401 (a staff member 403) for
    every operator route, before its body or query is read, so the answer tells them nothing
    about what the route would accept."""
    require_operator()


@blp.get("/tenants")
@blp.response(200, TenantSchema(many=True))
def list_tenants():
    """Every municipality (operator only)."""
    return db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)).all()


@blp.post("/tenants")
@blp.arguments(TenantCreateSchema)
@blp.response(201, TenantSchema)
def create_tenant(data):
    """Create a municipality (operator only)."""
    tenant = tenants.create_tenant(**data)
    db.session.commit()
    return tenant


@blp.put("/plugins/<plugin_id>/block")
@blp.arguments(BlockSchema)
@blp.response(204)
def block_plugin(data, plugin_id):
    """Withdraw a plugin from every tenant; their settings and data are kept."""
    enablement.block(plugin_id, data["reason"], current_user())
    db.session.commit()


@blp.delete("/plugins/<plugin_id>/block")
@blp.response(204)
def unblock_plugin(plugin_id):
    """Lift the block on a plugin (operator only)."""
    enablement.unblock(plugin_id, current_user())
    db.session.commit()


@blp.get("/login-events")
@blp.arguments(LoginEventQuerySchema, location="query")
@blp.response(200, LoginEventSchema(many=True))
def list_login_events(query):
    """Login attempts, newest first (at most `limit`); `email` narrows to one address."""
    statement = sa.select(LoginEvent).order_by(LoginEvent.id.desc()).limit(query["limit"])
    if query.get("email"):
        statement = statement.where(LoginEvent.email == query["email"].strip().lower())
    return db.session.scalars(statement).all()

"""The tenant's audit trail, newest first, for auditors and admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from velferd.api.context import TENANT_PREFIX
from velferd.api.schemas import AuditEventSchema, AuditQuery
from velferd.auth import requires
from velferd.db import db
from velferd.models import AuditEvent

blp = Blueprint("audit", __name__, url_prefix=f"{TENANT_PREFIX}/audit", description="Audit trail")


@blp.get("")
@requires("audit:read")
@blp.arguments(AuditQuery, location="query", unknown=None)  # Strict: 422 on a typo
@blp.response(200, AuditEventSchema(many=True))
def list_audit_events(query):
    """The tenant's audit trail, newest first (filter by action; page with before_id)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(query["limit"])
    if "action" in query:
        stmt = stmt.where(AuditEvent.action == query["action"])
    if "before_id" in query:
        stmt = stmt.where(AuditEvent.id < query["before_id"])
    return db.session.scalars(stmt).all()

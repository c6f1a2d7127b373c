"""Writing the audit trail: who did what to which record, when (UTC) and from where.

Reads are recorded as well as writes: views and services record what they did with `record`,
and `velferd.read_audit` adds a row for every person a GET showed that no such row covers.
`record` only adds the row to the current transaction, so an audited write and its audit row
commit or fail together.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event

from velferd.db import TenantSession, db
from velferd.input_rules import printable
from velferd.models import AuditEvent, OperatorAuditEvent


class AuditTrailIsAppendOnly(RuntimeError):
    pass


def _origin() -> dict[str, Any]:
    if not has_request_context():
        return {"remote_addr": "cli", "user_agent": None}
    agent = request.user_agent.string
    return {
        "remote_addr": request.remote_addr and printable(request.remote_addr, 64),
        "user_agent": printable(agent, 300) if agent else None,
    }


def _actor_id() -> int | None:
    user = g.get("velferd_user")
    return user.id if user is not None else None


def record(
    action: str,
    record_type: str,
    record_id: Any = None,
    *,
    person_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row for the current tenant and actor to the open transaction."""
    event_row = AuditEvent(
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        person_id=person_id,
        actor_id=_actor_id(),
        details=details or {},
        **_origin(),
    )
    db.session.add(event_row)
    if person_id is not None and has_request_context():
        g.setdefault("velferd_audited_persons", set()).add(person_id)  # read_audit adds no second row
    return event_row


def record_operator(action: str, record_type: str, record_id: Any, details: dict[str, Any] | None = None) -> None:
    db.session.add(OperatorAuditEvent(
        action=action, record_type=record_type, record_id=str(record_id),
        actor_id=_actor_id(), details=details or {}, **_origin(),
    ))


@event.listens_for(TenantSession, "before_flush")
def _refuse_changes_to_audit_rows(session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, (AuditEvent, OperatorAuditEvent)):
            raise AuditTrailIsAppendOnly("audit rows are never changed or deleted")


@event.listens_for(TenantSession, "do_orm_execute")
def _refuse_bulk_changes_to_audit_rows(state) -> None:
    """`session.execute(update(AuditEvent))` bypasses the flush; refuse it here."""
    if (state.is_update or state.is_delete) and any(
        issubclass(mapper.class_, (AuditEvent, OperatorAuditEvent)) for mapper in state.all_mappers
    ):
        raise AuditTrailIsAppendOnly("audit rows are never changed or deleted")

"""Writing the audit trail: who did what to which record, when (UTC) and from where.

Reads are recorded as well as writes: views and services record what they did with `record`,
and `velferd.read_audit` adds a row for every person a GET showed that no such row covers.
`record` only adds the row to the current transaction, so an audited write and its audit row
commit or fail together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event

from velferd.db import TenantSession, UtcDateTime, db, utcnow
from velferd.input_rules import printable
from velferd.models import AuditEvent, OperatorAuditEvent
from velferd.tenancy import TenantNotSet, current_tenant_id


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


def _values(action: str, record_type: str, record_id: Any, person_id: int | None,
            details: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "action": action, "record_type": record_type, "record_id": None if record_id is None else str(record_id),
        "person_id": person_id, "actor_id": _actor_id(), "details": details or {}, **_origin(),
    }


def _note_person(person_id: int | None) -> None:
    if person_id is not None and has_request_context():
        g.setdefault("velferd_audited_persons", set()).add(person_id)  # read_audit adds no second row


def record(
    action: str,
    record_type: str,
    record_id: Any = None,
    *,
    person_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row for the current tenant and actor to the open transaction."""
    event_row = AuditEvent(**_values(action, record_type, record_id, person_id, details))
    db.session.add(event_row)
    _note_person(person_id)
    return event_row


@dataclass(frozen=True)
class Entry:
    """One row for `record_each`: the arguments of `record`."""

    action: str
    record_type: str
    record_id: Any
    person_id: int | None
    details: dict[str, Any]


def record_each(entries: Iterable[Entry]) -> None:
    """Many rows at once — a list view writes one per person it showed — as one INSERT in the
    open transaction, without an ORM object per row: for a page of 50 cases, building, checking
    and flushing 50 objects cost more than the rest of the request. The rows hold only what this
    module builds (bounded by `_origin`), so the flush's column checks have nothing to find, and
    the tenant is the one in scope (row-level security checks it again on PostgreSQL).

    On PostgreSQL the rows go as one JSON document through ``jsonb_to_recordset``: one statement
    whose text never changes (the driver prepares it once) and one parameter, where a multi-row
    VALUES has a new text and ten parameters per row, ``executemany`` is a statement per row on
    the server, and arrays cost the driver more to encode than ``json.dumps`` does."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantNotSet("audit rows need a tenant in scope")
    entries = list(entries)
    if not entries:
        return
    shared = {"tenant_id": tenant_id, "at": utcnow(), "actor_id": _actor_id(), **_origin()}
    if db.session.get_bind().dialect.name == "postgresql":
        rows = [{"action": e.action, "record_type": e.record_type, "person_id": e.person_id, "details": e.details or {},
                 "record_id": None if e.record_id is None else str(e.record_id)} for e in entries]
        db.session.execute(_INSERT_FROM_JSON, {**shared, "rows": json.dumps(rows)})
    else:
        db.session.execute(sa.insert(AuditEvent), [
            {**shared, **_values(e.action, e.record_type, e.record_id, e.person_id, e.details)} for e in entries])
    for entry in entries:
        _note_person(entry.person_id)


_INSERT_FROM_JSON = sa.text(
    "INSERT INTO audit_event (tenant_id, at, actor_id, remote_addr, user_agent,"
    " action, record_type, record_id, person_id, details)"
    " SELECT :tenant_id, :at, :actor_id, :remote_addr, :user_agent,"
    " row.action, row.record_type, row.record_id, row.person_id, row.details"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS row(action varchar, record_type varchar, record_id varchar, person_id integer, details jsonb)"
).bindparams(sa.bindparam("at", type_=UtcDateTime()))


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

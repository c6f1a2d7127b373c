"""Writing the audit trail: who did what to which record, when (UTC) and from where.

Reads are recorded as well as writes: views and services record what they did with `record`,
and `velferd.read_audit` adds a row for every person a GET showed that no such row covers.
`record` only adds the row to the current transaction, so an audited write and its audit row
commit or fail together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event

from velferd import commits
from velferd.db import TenantSession, db, utcnow
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


def _who_and_where() -> dict[str, Any]:
    """The columns every row of this request shares: the actor and the origin."""
    return {"actor_id": _actor_id(), **_origin()}


def _values(action: str, record_type: str, record_id: Any, person_id: int | None,
            details: dict[str, Any] | None, shared: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "action": action, "record_type": record_type, "record_id": None if record_id is None else str(record_id),
        "person_id": person_id, "details": details or {}, **(shared or _who_and_where()),
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
) -> None:
    """Add an audit row for the current tenant and actor to the open transaction (on PostgreSQL
    it goes with the transaction's COMMIT: `_sent_with_commit`)."""
    values = _values(action, record_type, record_id, person_id, details)
    if not _sent_with_commit([values]):
        db.session.add(AuditEvent(**values))
    _note_person(person_id)


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
    the tenant is the one in scope (row-level security checks it again on PostgreSQL)."""
    shared = _who_and_where()
    rows = [_values(e.action, e.record_type, e.record_id, e.person_id, e.details, shared) for e in entries]
    if rows and not _sent_with_commit(rows):
        if current_tenant_id() is None:
            raise TenantNotSet("audit rows need a tenant in scope")
        db.session.execute(sa.insert(AuditEvent), _stamped(rows, utcnow()))
    for row in rows:
        _note_person(row["person_id"])


def _sent_with_commit(rows: list[dict[str, Any]]) -> bool:
    """On PostgreSQL audit rows wait for the transaction's COMMIT and are written just before it,
    all in one INSERT (velferd.commits); they are as much part of the transaction as a flushed
    row, and vanish with it on a rollback. Elsewhere (SQLite): False, and the caller writes them."""
    if current_tenant_id() is None or not commits.rows_may_wait_for_commit():
        return False
    commits.write_before_commit(insert_from_json(commits.ROWS_PLACEHOLDER), _stamped(rows, utcnow().isoformat()))
    return True


def _stamped(rows: list[dict[str, Any]], at: Any) -> list[dict[str, Any]]:
    """The rows with the tenant in scope and the time, as the flush would stamp an ORM row."""
    tenant_id = current_tenant_id()
    return [{**row, "tenant_id": tenant_id, "at": at} for row in rows]


def insert_from_json(placeholder: str) -> str:
    """The INSERT of audit rows given as a JSON array (PostgreSQL's ``jsonb_to_recordset``): one
    statement whose text never changes (the driver prepares it once) and one parameter, where a
    multi-row VALUES has a new text and ten parameters per row, ``executemany`` is a statement per
    row on the server, and arrays cost the driver more to encode than ``json.dumps`` does."""
    return (
        "INSERT INTO audit_event (tenant_id, at, actor_id, remote_addr, user_agent,"
        " action, record_type, record_id, person_id, details)"
        " SELECT tenant_id, at, actor_id, remote_addr, user_agent, action, record_type, record_id, person_id, details"
        f" FROM jsonb_to_recordset(CAST({placeholder} AS jsonb)) AS row(tenant_id integer, at timestamptz,"
        " actor_id integer, remote_addr varchar, user_agent varchar, action varchar, record_type varchar,"
        " record_id varchar, person_id integer, details jsonb)"
    )


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

"""The audit trail. Rows are only ever inserted: PostgreSQL grants the app no UPDATE or DELETE
on these tables, and the ORM refuses to change them on any database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, utcnow


class _AuditColumns:
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(sa.String(60))
    record_type: Mapped[str] = mapped_column(sa.String(60))
    record_id: Mapped[str | None] = mapped_column(sa.String(60))
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    details: Mapped[dict] = mapped_column(default=dict)


class AuditEvent(Base, TenantOwned, _AuditColumns):
    __tablename__ = "audit_event"
    #: no index of its own (as TenantOwned gives): ix_audit_event_tenant_record starts with it, and
    #: every read writes audit rows (migration 0018)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"))
    person_id: Mapped[int | None] = mapped_column(index=True)

    __table_args__ = (sa.Index("ix_audit_event_tenant_record", "tenant_id", "record_type", "record_id"),)


class OperatorAuditEvent(Base, _AuditColumns):
    """Actions of the platform operator that concern no single tenant (blocking a plugin everywhere)."""

    __tablename__ = "operator_audit_event"

"""The tables of retention: the tenant's adjusted periods, holds, proposals and their approvals,
the marks left on disposed records, and the disposal log. None holds a name or a national id:
records are named by their type and id only."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, utcnow
from velferd.personal_data import PERSONAL

HOLD_KINDS = ("legal_hold", "appeal")
PROPOSAL_STATUSES = ("pending", "carried_out")


class RetentionSetting(Base, TenantOwned):
    """The tenant's period for one declared rule, within the rule's legal bounds."""

    __tablename__ = "retention_setting"
    __not_personal__ = ("rule",)
    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(80))
    years: Mapped[int]
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "rule"),)


class RetentionHold(Base, TenantOwned):
    """A record that must not be disposed of while the hold stands: a legal hold (litigation, an
    inquiry) or an appeal (klage) not yet decided. Released, not deleted, so the history stays."""

    __tablename__ = "retention_hold"
    __not_personal__ = ("record_type", "kind")
    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.Text, info=PERSONAL)
    placed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    released_at: Mapped[dt.datetime | None]

    __table_args__ = (sa.Index("ix_retention_hold_record", "tenant_id", "record_type", "record_id"),)


class RetentionProposal(Base, TenantOwned):
    """What the periodic job found due under one rule, and the action it proposes for them."""

    __tablename__ = "retention_proposal"
    __not_personal__ = ("rule", "record_type", "action", "status", "reason")
    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(80))
    record_type: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(12))
    #: why this action (the rule's, or a guard's: "child welfare: deposited (arkivlova)")
    reason: Mapped[str] = mapped_column(sa.Text)
    record_ids: Mapped[list] = mapped_column(default=list)
    #: the tenant's date the records were found due on
    due_on: Mapped[dt.date]
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job_run.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.CheckConstraint(f"status in {PROPOSAL_STATUSES!r}", name="status"),)


class RetentionApproval(Base, TenantOwned):
    """One member's approval of a proposal; a member approves a proposal once."""

    __tablename__ = "retention_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("retention_proposal.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "proposal_id", "user_id"),)


class RetentionMark(Base, TenantOwned):
    """A record that was disposed of, and by which disposal: it is not proposed again, a
    deposited one is kept read-only in the live database, and for a deleted one the mark is the
    tombstone that tells an auditor, meeting its id in the audit trail, where it went."""

    __tablename__ = "retention_mark"
    __not_personal__ = ("record_type", "action")
    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(12))
    disposal_id: Mapped[int] = mapped_column(sa.ForeignKey("retention_disposal.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    #: once per record and disposal: a deleted row's id may come back (SQLite reuses the highest)
    __table_args__ = (sa.UniqueConstraint("tenant_id", "record_type", "record_id", "disposal_id"),)


class RetentionDisposal(Base, TenantOwned):
    """The disposal log: what was done under which rule, to which records (ids only), who
    approved it and when. Never edited, never disposed of."""

    __tablename__ = "retention_disposal"
    __not_personal__ = ("rule", "record_type", "action", "record_ids", "skipped", "approver_ids", "packages")
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("retention_proposal.id"), index=True)
    rule: Mapped[str] = mapped_column(sa.String(80))
    record_type: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(12))
    record_ids: Mapped[list] = mapped_column(default=list)
    #: records of the proposal left alone, each with why: [{"id": 3, "reason": "on hold"}]
    skipped: Mapped[list] = mapped_column(default=list)
    #: the job that proposed it
    proposed_by_job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job_run.id"))
    approver_ids: Mapped[list] = mapped_column(default=list)
    #: the archive packages written (paths under the instance folder), for a deposit
    packages: Mapped[list] = mapped_column(default=list)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

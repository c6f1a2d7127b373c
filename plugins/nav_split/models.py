"""The plugin's tables. Every one is tenant-owned (the toolkit's TenantOwned: ORM scoping, and
PostgreSQL row-level security from the migration), and tenant_id is in every unique constraint."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, SPECIAL, Base, TenantOwned, utcnow


class Appointment(Base, TenantOwned):
    """Forvaltning's appointment of the coordinator from a decision, with the follow-up around it.

    Coordination and follow-up are separate: Livsmestring may follow up (at home) while NAV
    coordinates, and NAV's financial caseworker decides on social assistance whoever coordinates.
    A re-allocation adds a row; the latest is current."""

    __tablename__ = "nav_split_appointment"
    __not_personal__ = ("coordinator_unit", "nav_team", "follow_up_unit", "financial_caseworker_unit")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decision.id"))
    coordinator_unit: Mapped[str] = mapped_column(sa.String(20))
    nav_team: Mapped[str | None] = mapped_column(sa.String(40))
    follow_up_unit: Mapped[str] = mapped_column(sa.String(20))
    follow_up_at_home: Mapped[bool] = mapped_column(default=False)
    social_assistance: Mapped[bool] = mapped_column(default=False)
    financial_caseworker_unit: Mapped[str] = mapped_column(sa.String(20), default="nav")
    financial_caseworker: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    appointed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Agenda(Base, TenantOwned):
    """One week's agenda of one kind of meeting (Rusfaglig Forum, cooperation meeting, leader level)."""

    __tablename__ = "nav_split_agenda"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    week_start: Mapped[dt.date] = mapped_column(sa.Date)
    built_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind", "week_start"),)


class AgendaItem(Base, TenantOwned):
    """A case queued for a meeting; placed on the next agenda built; decided by a decision."""

    __tablename__ = "nav_split_agenda_item"
    __not_personal__ = ("kind", "status")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    agenda_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nav_split_agenda.id"), index=True)
    queued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    outcome_decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision.id"))


class ForumDecision(Base, TenantOwned):
    """A Rusfaglig Forum decision on a private institution, social rehabilitation or private care:
    drafted (agreement and reasons) by Spesialteamet in NAV or Rusteamet in Livsmestring, approved
    with a second signature by the Forum's coordinator or deputy — never the drafter."""

    __tablename__ = "nav_split_forum_decision"
    __not_personal__ = ("measure", "verdict", "responsible_unit", "drafting_team", "status")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    measure: Mapped[str] = mapped_column(sa.String(40))
    verdict: Mapped[str] = mapped_column(sa.String(20))
    institution: Mapped[str] = mapped_column(sa.String(200), info=SPECIAL)
    agreement: Mapped[str] = mapped_column(sa.Text, info=SPECIAL)
    reasons: Mapped[str] = mapped_column(sa.Text, info=SPECIAL)
    responsible_unit: Mapped[str] = mapped_column(sa.String(20))
    drafting_team: Mapped[str] = mapped_column(sa.String(20))
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    drafted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    approved_at: Mapped[dt.datetime | None]


class Complaint(Base, TenantOwned):
    """A complaint on a Forum decision, sent to the county governor (Fylkesmannen) only when the
    Forum's leader and the head of Forvaltning have both signed."""

    __tablename__ = "nav_split_complaint"
    __not_personal__ = ("status",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    forum_decision_id: Mapped[int] = mapped_column(sa.ForeignKey("nav_split_forum_decision.id"), index=True)
    grounds: Mapped[str] = mapped_column(sa.Text, info=SPECIAL)
    prepared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    prepared_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    sent_at: Mapped[dt.datetime | None]


class ComplaintSignature(Base, TenantOwned):
    """One signature on a complaint, in one capacity (forum_leader or forvaltning_head)."""

    __tablename__ = "nav_split_complaint_signature"
    __not_personal__ = ("capacity",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("nav_split_complaint.id"), index=True)
    capacity: Mapped[str] = mapped_column(sa.String(30))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "complaint_id", "capacity"),)

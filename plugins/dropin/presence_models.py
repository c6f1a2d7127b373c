"""The tables of the outreach services' presence at the centres: the services, their weekly
times (slots), a centre's holidays, a cancelled session, and the published weeks.

The guide (../shared/seeds/003_dbb2a96da9dea517.txt) names three outreach services, and each
kind has its own facts (`presence` checks them):

- case processing: "De fremskudte sagsbehandlere kan komme fra jobcenteret, socialforvaltningen
  og ydelseskontoret. De er fast på værestederne, typisk en dag om ugen." and "har en
  myndighedsfunktion og kan foretage egentlig sagsbehandling på værestederne. Myndighedsbehandlingen
  kan også foretages af andre sagsbehandlere i kommunen" — so the administration, and whether
  the worker at the centre decides cases there (`decides_cases`);
- substance-abuse work: "Misbrugsmedarbejderne kommer på fastsatte tidspunker hver uge" — fixed
  weekly slots; it is bridging, not treatment ("fungerer snarere som brobygning til behandling");
- SKP: "SKP-funktionen kan varetages af kommunens medarbejdere eller af værestedets medarbejdere"
  and "kan SKP-medarbejderen også opsøge borgere i hjemmet" — who staffs it, and home visits.

A slot is one staff member (a core `User` with a membership in the tenant) of one service at one
centre on one weekday, from a local time to a later one, valid from a day, possibly until a day
(ending a slot sets that day; the history stays). A published week holds what the public page
shows and nothing else: no user, no name — "who is there" is the service and its administration.
Every table is tenant-owned, tenant_id in every unique constraint.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, TenantOwned, utcnow

from .services import ADMINISTRATIONS, CASE_PROCESSING, SKP, SUBSTANCE_ABUSE
from .services import OUTREACH_SERVICES as SERVICE_KINDS

__all__ = ["ADMINISTRATIONS", "CASE_PROCESSING", "SERVICE_KINDS", "SKP", "SUBSTANCE_ABUSE"]
#: who staffs an SKP scheme (kommunens medarbejdere, værestedets medarbejdere)
STAFFED_BY = ("municipality", "centre")
WEEKDAYS = tuple(range(7))  # 0 Monday … 6 Sunday, as date.weekday()


class Service(Base, TenantOwned):
    """One outreach service the municipality offers at its centres."""

    __tablename__ = "dropin_service"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: case processing only: the administration the caseworker comes from
    administration: Mapped[str | None] = mapped_column(sa.String(30))
    #: case processing only: the caseworker at the centre decides cases there (myndighedsfunktion)
    decides_cases: Mapped[bool] = mapped_column(default=False)
    #: SKP only: staffed by the municipality or by the centre
    staffed_by: Mapped[str | None] = mapped_column(sa.String(20))
    #: SKP only: may visit citizens at home
    home_visits: Mapped[bool] = mapped_column(default=False)
    #: a public note on the schedule (no personal data)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Slot(Base, TenantOwned):
    """A weekly time of one service's staff member at one centre."""

    __tablename__ = "dropin_slot"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_service.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    weekday: Mapped[int]
    starts: Mapped[dt.time] = mapped_column(sa.Time)
    ends: Mapped[dt.time] = mapped_column(sa.Time)
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_until: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: held in the centre's private room for confidential talks (only where it has one)
    private_room: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Holiday(Base, TenantOwned):
    """A centre closed from one day to another (both included): no sessions then."""

    __tablename__ = "dropin_holiday"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Cancellation(Base, TenantOwned):
    """One session of a slot, on one day, that does not take place."""

    __tablename__ = "dropin_cancellation"
    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_slot.id"), index=True)
    falls_on: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "slot_id", "falls_on"),)


class PublishedWeek(Base, TenantOwned):
    """A centre's published week (`week_of` is its Monday): the sessions and the closed days as
    the public page shows them, built by `schedule` — no personal data."""

    __tablename__ = "dropin_published_week"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    week_of: Mapped[dt.date] = mapped_column(sa.Date)
    built_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: [{"date", "starts", "ends", "kind", "administration", "decides_cases", "staffed_by",
    #:   "home_visits", "private_room", "note", "cancelled", "reason"}], by date and time
    entries: Mapped[list] = mapped_column(default=list)
    #: [{"date", "reason"}]: the days of the week the centre is closed (a holiday)
    closed: Mapped[list] = mapped_column(default=list)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "centre_id", "week_of"),)

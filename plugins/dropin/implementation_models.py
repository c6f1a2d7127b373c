"""The implementation team's tables: its members, its meetings, its working groups, the shared
competence-development plan and the phases of the roll-out.

The guide (../shared/seeds/003_dbb2a96da9dea517.txt, p. 13–15): "I implementeringsteamet indgår
repræsentanter fra kommunen, de involverede væresteder og det lokale udsatte-råd"; "Man kan med
fordel nedsætte arbejdsgrupper"; "Kompetenceudviklingsaktiviteterne kan med fordel samles i en
fælles kompetenceudviklingsplan"; "Mødehyppigheden er typisk særligt høj i udviklingsfasen med
møder minimum én gang hver anden måned".

Every table is tenant-owned (forced row-level security from the migration); tenant_id is in every
unique constraint. A member's name is a professional's (the team's representatives), never a
citizen's, so it may be stored and shown.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, Base, TenantOwned, utcnow

MUNICIPALITY, CENTRE, COUNCIL, OTHER = "municipality", "centre", "council", "other"
#: who a member represents: the municipality, a centre, the local council of socially
#: marginalised citizens (Rådet for socialt udsatte, "det lokale udsatte-råd") or someone else
#: (a user council, "Brugerråd", on the guide's organisation chart p. 14)
ORGANISATION_KINDS = (MUNICIPALITY, CENTRE, COUNCIL, OTHER)

MUNICIPAL_STAFF, CENTRE_STAFF, BOTH, VOLUNTEERS = "municipal_staff", "centre_staff", "both", "centre_volunteers"
#: for whom a plan item is: the guide names the centres' volunteers as well ("KOMPETENCEUDVIKLING
#: AF ALLE FRIVILLIGE og medarbejdere", p. 12), so they have a choice of their own
AUDIENCES = (MUNICIPAL_STAFF, CENTRE_STAFF, BOTH, VOLUNTEERS)

PREPARATION, DEVELOPMENT, OPERATION = "preparation", "development", "operation"
#: the roll-out's phases, in order (the cadence holds in the development phase: "udviklingsfasen")
PHASE_KINDS = (PREPARATION, DEVELOPMENT, OPERATION)


class TeamMember(Base, TenantOwned):
    """A representative on the implementation team (a centre's points at the centre)."""

    __tablename__ = "dropin_team_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    organisation_kind: Mapped[str] = mapped_column(sa.String(20))
    organisation: Mapped[str] = mapped_column(sa.String(200))
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TeamMeeting(Base, TenantOwned):
    """A meeting the team has held: its agenda, minutes and decisions."""

    __tablename__ = "dropin_team_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    agenda: Mapped[str] = mapped_column(sa.String(4000))
    minutes: Mapped[str | None] = mapped_column(sa.String(8000))
    decisions: Mapped[str | None] = mapped_column(sa.String(4000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WorkingGroup(Base, TenantOwned):
    """A working group the team has set up ("arbejdsgrupper nedsat af implementeringsteamet")."""

    __tablename__ = "dropin_working_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.String(2000))
    members: Mapped[str | None] = mapped_column(sa.String(2000))
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)


class CompetenceItem(Base, TenantOwned):
    """One item of the shared competence-development plan (fælles kompetenceudviklingsplan)."""

    __tablename__ = "dropin_competence_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(500))
    audience: Mapped[str] = mapped_column(sa.String(30))
    planned_on: Mapped[dt.date]
    done_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RolloutPhase(Base, TenantOwned):
    """A phase of the roll-out; one of each kind per municipality."""

    __tablename__ = "dropin_rollout_phase"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind"),)

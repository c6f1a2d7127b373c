"""Cases and what happens in them: journal events, meetings and deadlines.

A case belongs to one person and one plugin; its `state` moves only along the plugin's
workflow (see `velferd.workflows`), and every move is written to the journal.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from velferd.db import Base, TenantOwned, Timestamped, utcnow
from velferd.models.people import Person
from velferd.personal_data import PERSONAL, SPECIAL


class Case(Base, TenantOwned, Timestamped):
    __tablename__ = "case_file"
    __not_personal__ = ("plugin", "workflow", "state")  # its other text: codes and states
    __audit_name__ = "case"  # what audit rows call it (velferd.read_audit)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    plugin: Mapped[str] = mapped_column(sa.String(40))
    workflow: Mapped[str] = mapped_column(sa.String(60))
    state: Mapped[str] = mapped_column(sa.String(60))
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    referring_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    #: the unit that holds the case: its members may know of it (velferd.need_to_know); None while
    #: no unit has it yet (a new referral), seen then by everyone working in the programme
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[dt.datetime | None]

    person: Mapped[Person] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        sa.Index("ix_case_file_tenant_id_id", "tenant_id", "id"),
        # the open cases by assignee (migration 0011): the dashboard's count, the caseload's filter
        sa.Index("ix_case_file_open_by_assignee", "tenant_id", "assigned_to_id",
                 postgresql_where=sa.text("closed_at IS NULL"), sqlite_where=sa.text("closed_at IS NULL")),
    )


class CaseEvent(Base, TenantOwned):
    """The case journal: transitions, notes and other events, in order. Never edited."""

    __tablename__ = "case_event"
    __not_personal__ = ("kind", "transition", "from_state", "to_state")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    transition: Mapped[str | None] = mapped_column(sa.String(60))
    from_state: Mapped[str | None] = mapped_column(sa.String(60))
    to_state: Mapped[str | None] = mapped_column(sa.String(60))
    text: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    data: Mapped[dict] = mapped_column(default=dict, info=SPECIAL)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Meeting(Base, TenantOwned, Timestamped):
    __tablename__ = "meeting"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    starts_at: Mapped[dt.datetime]
    place: Mapped[str | None] = mapped_column(sa.String(200), info=PERSONAL)
    held: Mapped[bool] = mapped_column(default=False)
    minutes: Mapped[str | None] = mapped_column(sa.Text, info=SPECIAL)
    # who took part: [{"role": "coordinator", "name": "…", "unit": "…"}, {"role": "youth"}, …]
    participants: Mapped[list] = mapped_column(default=list, info=SPECIAL)


class Deadline(Base, TenantOwned, Timestamped):
    __tablename__ = "deadline"
    __not_personal__ = ("kind",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    due_on: Mapped[dt.date]
    completed_at: Mapped[dt.datetime | None]


class AccessGrant(Base, TenantOwned):
    """A member's reasoned access to a case outside their need to know ("breaking the glass"):
    written with its reason, good until `expires_at`, audited, shown in the person's access log
    and reported to the leaders of the case's unit (velferd.need_to_know)."""

    __tablename__ = "access_grant"
    __not_personal__ = ("reported_to",)  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, info=PERSONAL)
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    #: the leaders it was reported to (user ids) and the one who has looked at it
    reported_to: Mapped[list] = mapped_column(default=list)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    reviewed_at: Mapped[dt.datetime | None]

"""The centres' team activities (holdbaserede aktiviteter), their sessions and their super-users.

"Værestederne har ansvaret for at iværksætte de holdbaserede aktiviteter." — an activity belongs
to a centre. The seed's examples are the kinds: "IT-KURSUS: Gennem kurset bliver borgerne
opkvalificeret i forhold til digital kommunikation, herunder kommunikation med offentlige
myndigheder og anvendelse af NemID og netbank." and "UNDERVISNINGSFORLØB OMKRING SUNDHED: I små
hold diskuterer borgerne sundhed og trivsel, og det følges op af motionsaktiviteter."

Privacy: participation is voluntary and many users of a centre are not known to the
municipality, so a session keeps *counts* only — the anonymous participants and, optionally,
how many of them the centre knows — never who they were. A super-user ("særligt uddannede
brugere [...] Sådanne superbrugere kan fungere som rollemodeller for øvrige brugere") is a
citizen too, recorded by an alias or first name and the day they were trained: no CPR number,
no surname, no contact details, no link to a person or a case, so the list of helpers says
nothing about anyone's case with the municipality.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import PERSONAL, Base, TenantOwned, utcnow

ACTIVITY_KINDS = ("it_course", "health_course", "other")


class TeamActivity(Base, TenantOwned):
    __tablename__ = "dropin_team_activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: what it covers, one topic a line: digital mail, MitID, online bank; health and exercise
    topics: Mapped[list] = mapped_column(default=list)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "centre_id", "title", "starts_on"),)


class ActivitySession(Base, TenantOwned):
    """One session of an activity: its day and how many came (counts only)."""

    __tablename__ = "dropin_activity_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_team_activity.id"), index=True)
    held_on: Mapped[dt.date]
    anonymous_count: Mapped[int] = mapped_column(default=0)
    known_count: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SuperUser(Base, TenantOwned):
    """A trained citizen who helps on an activity: an alias or first name and when trained."""

    __tablename__ = "dropin_super_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_team_activity.id"), index=True)
    alias: Mapped[str] = mapped_column(sa.String(40), info=PERSONAL)
    trained_on: Mapped[dt.date]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "activity_id", "alias"),)

"""The statutory meetings (lovpligtige samtaler): where each was held and whether the citizen came.

The seed's guide (../shared/seeds/003_dbb2a96da9dea517.txt) is the reason the table exists:
"Sagsbehandlere kan også tilbyde, at lovpligtige samtaler kan holdes på værestederne i stedet for
i forvaltningerne. Borgerne har her pligt til at komme, men det er et tilbud, at det kan foregå på
værestederne." — and its headline effect: "Der er væsentligt færre udeblivelser fra møder med
sagsbehandleren, når de foregår på værestedet frem for på kommunen." So a meeting records its
place (the centre, or the office of the municipality), at the centre only by the citizen's
choice, and its attendance once its time has passed (`no_shows` counts them).

The time is the municipality's wall clock (a local date and a local time, Europe/Copenhagen):
a period of the no-show figures is a span of local days, and a meeting at 09:00 stays at 09:00
across a change to summer time. A meeting carries no name and no CPR number: the person is
reached, when at all, through the optional case (the core's `Case`, whose reads the core audits).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import SPECIAL, Base, TenantOwned, utcnow


class StatutoryMeeting(Base, TenantOwned):
    __tablename__ = "dropin_statutory_meeting"
    __not_personal__ = ("service", "administration", "place", "attendance")  # its other text: codes and states
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the outreach service (`meetings.SERVICES`) and, for case processing, its administration
    service: Mapped[str] = mapped_column(sa.String(30))
    administration: Mapped[str | None] = mapped_column(sa.String(30))
    subject: Mapped[str] = mapped_column(sa.String(200), info=SPECIAL)
    meets_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    meets_at: Mapped[dt.time] = mapped_column(sa.Time)
    #: "centre" (then `centre_id`, and the citizen chose it) or "office" (the municipality)
    place: Mapped[str] = mapped_column(sa.String(10))
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    chosen_by_citizen: Mapped[bool] = mapped_column(default=False)
    #: planned, attended, no_show or cancelled (`meetings.ATTENDANCES`)
    attendance: Mapped[str] = mapped_column(sa.String(20), default="planned")
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_file.id"), index=True)
    #: the responsible worker: who planned the meeting
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    attendance_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    attendance_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

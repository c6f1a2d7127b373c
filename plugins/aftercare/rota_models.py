"""The rota's tables: the weekly pattern of shifts, who works a shift on a date, and the shifts the
daily job found nobody rostered on.

The pattern is data, not constants (Alta's is created when first needed, `rota.pattern_of`): one
row per weekday and kind of shift. A shift that ends at or before its start runs past midnight
(the nights' on-call, 22:00 to the next morning). An assignment is one staff member — a core
`User` with a `Membership` in the tenant — on one shift of the pattern on one date; a shift has at
most one (the plan staffs each shift with one person), so assigning again replaces who works it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, TenantOwned, utcnow

DAY = "day"
EVENING = "evening"
WEEKEND = "weekend"
ON_CALL = "on_call"
#: day, evening and weekend shifts are hours worked; the night's on-call from home is not (`rota.fte`)
SHIFT_KINDS = (DAY, EVENING, WEEKEND, ON_CALL)
WORKED_KINDS = (DAY, EVENING, WEEKEND)


class RotaShift(Base, TenantOwned):
    """One shift of the weekly pattern: `weekday` 0 (Monday) to 6 (Sunday), its kind and its times."""

    __tablename__ = "aftercare_rota_shift"
    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    starts_at: Mapped[dt.time] = mapped_column(sa.Time)
    ends_at: Mapped[dt.time] = mapped_column(sa.Time)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    __table_args__ = (sa.UniqueConstraint("tenant_id", "weekday", "kind"),)


class RotaAssignment(Base, TenantOwned):
    """Who works `shift_id` on `works_on` (the date the shift starts)."""

    __tablename__ = "aftercare_rota_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_rota_shift.id"), index=True)
    works_on: Mapped[dt.date] = mapped_column(sa.Date)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "shift_id", "works_on"),)


class UncoveredShift(Base, TenantOwned):
    """A shift of the coming days the daily job found nobody on (one row per shift and date, so a
    second run raises nothing twice). It stays as the record of what was flagged; whether it is
    still uncovered is read from the assignments."""

    __tablename__ = "aftercare_uncovered_shift"
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("aftercare_rota_shift.id"), index=True)
    works_on: Mapped[dt.date] = mapped_column(sa.Date)
    flagged_on: Mapped[dt.date] = mapped_column(sa.Date)
    flagged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "shift_id", "works_on"),)

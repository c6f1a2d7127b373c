"""The grunnbeløp (G) of the national insurance, per the day it took effect — the tenant's table
the qualification stipend is computed from (`stipend`).

G is adjusted every year with effect from 1 May. The table is the tenant's, as DUE's deflators
are (velferd_due.prices): each G with the day it took effect, the amount, its source, who entered
it and when; `PUBLISHED` holds the published values, loaded for a tenant with `load_published`.

The G in force on a day is the row with the latest `effective_from` on or before it — but only if
that row is not older than the last 1 May on or before the day: if it is, that year's G is
missing from the table and `g_on` refuses (422 naming the year), never carrying last year's G
forward as a guess. A day before the table's first row is refused in the same way.

These functions write to the session and flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from velferd.toolkit import User, ValidationFailed, audit, db, utcnow

from .plan_models import GValue

#: the day of the year G changes
CHANGE_MONTH, CHANGE_DAY = 5, 1


def _nav(year: int, amount: int) -> tuple[dt.date, Decimal, str]:
    return (dt.date(year, CHANGE_MONTH, CHANGE_DAY), Decimal(amount),
            f"NAV, «Grunnbeløpet i folketrygden» (the table of G since 1967): NOK {amount:,} from 1 May {year}")


#: G as NAV publishes it, from 1 May of each year. 2026 is left out (its figure was not known
#: for certain when this was written): the tenant enters it with its source, and until then a day
#: from 1 May 2026 is refused naming the year.
PUBLISHED: tuple[tuple[dt.date, Decimal, str], ...] = tuple(_nav(year, amount) for year, amount in (
    (2006, 62892), (2007, 66812), (2008, 70256), (2009, 72881), (2010, 75641), (2011, 79216),
    (2012, 82122), (2013, 85245), (2014, 88370), (2015, 90068), (2016, 92576), (2017, 93634),
    (2018, 96883), (2019, 99858), (2020, 101351), (2021, 106399), (2022, 111477), (2023, 118620),
    (2024, 124028), (2025, 130160),
))


class GUnknown(ValidationFailed):
    """The G for a day is not in the table (422): `year` names the 1 May whose G is missing (or
    the day, before the first row), `field` the input whose date needed it."""

    def __init__(self, message: str, field: str, year: int | None = None):
        super().__init__(message, {field: [message]})
        self.year = year


def last_change_on_or_before(day: dt.date) -> dt.date:
    """The last 1 May on or before `day`."""
    change = dt.date(day.year, CHANGE_MONTH, CHANGE_DAY)
    return change if change <= day else dt.date(day.year - 1, CHANGE_MONTH, CHANGE_DAY)


class GTable:
    """The tenant's G rows, read once (a programme's months ask for many days)."""

    def __init__(self, rows: Sequence[GValue]):
        self.rows = sorted(rows, key=lambda row: row.effective_from)

    @classmethod
    def load(cls) -> "GTable":
        return cls(db.session.scalars(sa.select(GValue)).all())

    def on(self, day: dt.date, field: str = "on") -> tuple[Decimal, GValue]:
        """The G in force on `day` and its row; `GUnknown` (naming `field`) when the table lacks it."""
        in_force = [row for row in self.rows if row.effective_from <= day]
        if not in_force:
            first = (f"; the table starts on {self.rows[0].effective_from.isoformat()}" if self.rows
                     else "; the table is empty — load the published values or enter G with its source")
            raise GUnknown(f"the G table has no G for {day.isoformat()}{first}", field, day.year)
        row = in_force[-1]
        change = last_change_on_or_before(day)
        if row.effective_from < change:
            raise GUnknown(f"the G from 1 May {change.year} is not in the G table (needed for {day.isoformat()}); "
                           "enter it with its source", field, change.year)
        return row.amount, row


def g_on(day: dt.date, field: str = "on") -> tuple[Decimal, GValue]:
    """The G in force on `day` and its row (see the module docstring); 422 naming `field` and the
    missing year when the table lacks it."""
    return GTable.load().on(day, field)


def rows() -> list[GValue]:
    return GTable.load().rows


def enter_g(effective_from: dt.date, amount: Decimal, source: str, actor: User | None) -> GValue:
    """Enter or correct the G from `effective_from`; the audit trail keeps what it was before."""
    if not source.strip():
        raise ValidationFailed("say where the G comes from", {"source": ["Name the source of the figure."]})
    if amount <= 0:
        raise ValidationFailed("G is a positive amount", {"amount": ["Must be more than 0."]})
    row = db.session.scalar(sa.select(GValue).where(GValue.effective_from == effective_from))
    before = None if row is None else str(row.amount)
    if row is None:
        row = GValue(effective_from=effective_from)
        db.session.add(row)
    row.amount, row.source = amount, source.strip()
    row.entered_by_id = actor.id if actor else None
    row.entered_at = utcnow()
    db.session.flush()
    audit.record("aftercare.g_entered", "aftercare_g_value", row.id,
                 details={"effective_from": effective_from.isoformat(), "amount": str(amount), "before": before,
                          "source": row.source})
    return row


def load_published(actor: User | None) -> list[GValue]:
    """Put the published values (`PUBLISHED`) into the table, leaving days already entered alone."""
    known = {row.effective_from for row in rows()}
    return [enter_g(day, amount, source, actor) for day, amount, source in PUBLISHED if day not in known]

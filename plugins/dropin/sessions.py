"""Which outreach sessions take place on which days: the weekly slots unrolled over a range of
dates, with a centre's holidays and a cancelled session attached. Reads only; the one place both
the published schedule (`schedule`) and a staff member's week (`presence_week`) get them from.

A slot runs on a day when the day is its weekday and within its validity. A session of an
inactive service is not held. A session on a holiday is kept with its holiday (the staff's week
says why it is off; the public schedule shows the day as closed instead), a cancelled one with
its cancellation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from velferd.toolkit import db

from .presence_models import Cancellation, Holiday, Service, Slot

WEEK = dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """`start` to `end`, both included."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def runs_on(slot: Slot, day: dt.date) -> bool:
    return (slot.weekday == day.weekday() and slot.valid_from <= day
            and (slot.valid_until is None or day <= slot.valid_until))


def holiday_on(holidays: list[Holiday], centre_id: int, day: dt.date) -> Holiday | None:
    return next((one for one in holidays if one.centre_id == centre_id and one.starts_on <= day <= one.ends_on), None)


@dataclass(frozen=True)
class Session:
    """One slot's session on one day."""

    date: dt.date
    slot: Slot
    service: Service
    holiday: Holiday | None
    cancellation: Cancellation | None

    @property
    def held(self) -> bool:
        return self.holiday is None and self.cancellation is None


def slots_in(start: dt.date, end: dt.date, centre_ids=None, user_id: int | None = None) -> list[Slot]:
    """The slots valid at some day of `start`…`end` (of those centres, or of that staff member)."""
    query = sa.select(Slot).where(Slot.valid_from <= end,
                                  sa.or_(Slot.valid_until.is_(None), Slot.valid_until >= start))
    if centre_ids is not None:
        query = query.where(Slot.centre_id.in_(list(centre_ids)))
    if user_id is not None:
        query = query.where(Slot.user_id == user_id)
    return list(db.session.scalars(query.order_by(Slot.starts, Slot.id)))


def holidays_in(centre_ids, start: dt.date, end: dt.date) -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).where(
        Holiday.centre_id.in_(list(centre_ids)), Holiday.starts_on <= end, Holiday.ends_on >= start)
        .order_by(Holiday.starts_on, Holiday.id)))


def sessions(start: dt.date, end: dt.date, centre_ids=None, user_id: int | None = None) -> list[Session]:
    """Every session of `start`…`end`, by day and time: of the given centres, or of one staff
    member at every centre."""
    slots = slots_in(start, end, centre_ids, user_id)
    if not slots:
        return []
    services = {one.id: one for one in db.session.scalars(
        sa.select(Service).where(Service.id.in_({slot.service_id for slot in slots})))}
    holidays = holidays_in({slot.centre_id for slot in slots}, start, end)
    cancelled = {(one.slot_id, one.falls_on): one for one in db.session.scalars(sa.select(Cancellation).where(
        Cancellation.slot_id.in_([slot.id for slot in slots]), Cancellation.falls_on >= start,
        Cancellation.falls_on <= end))}
    found = []
    for day in days(start, end):
        for slot in slots:
            service = services[slot.service_id]
            if service.active and runs_on(slot, day):
                found.append(Session(day, slot, service, holiday_on(holidays, slot.centre_id, day),
                                     cancelled.get((slot.id, day))))
    return found

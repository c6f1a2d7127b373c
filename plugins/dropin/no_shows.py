"""No-show rates of the statutory meetings: at the centre against at the municipality's office,
per period and service, and per centre — the effect the seed's guide leads with: "Der er
væsentligt færre udeblivelser fra møder med sagsbehandleren, når de foregår på værestedet frem
for på kommunen." (../shared/seeds/003_dbb2a96da9dea517.txt).

Pure query functions (reading only, nothing written). A meeting counts as *held* when the citizen
either came or did not (attended + no_show): that is the denominator. A cancelled meeting was not
held, so it says nothing about whether the citizen comes; a planned one has no outcome yet (or
has none recorded) — counting either would dilute the rate with meetings nobody could miss. The
rate is the no-shows' share of the held meetings as a percentage, a Decimal rounded half-up to
one decimal (1 of 8 = 12.5, 1 of 3 = 33.3, 2 of 3 = 66.7), and None when nothing was held (no
rate is not a rate of 0). The period is a span of the municipality's local days, both ends
included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from velferd.toolkit import ValidationFailed, db

from .meeting_models import StatutoryMeeting
from .meetings import ATTENDED, CENTRE, NO_SHOW, OFFICE, PLACES
from .models import Centre

ONE_DECIMAL = Decimal("0.1")


def rate(no_shows: int, held: int) -> Decimal | None:
    """`no_shows` of `held` as a percentage, half-up to one decimal; None when none was held."""
    if held == 0:
        return None
    return (Decimal(no_shows) * 100 / Decimal(held)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    held: int = 0
    no_shows: int = 0

    @property
    def attended(self) -> int:
        return self.held - self.no_shows

    @property
    def rate(self) -> Decimal | None:
        return rate(self.no_shows, self.held)

    def plus(self, held: int, no_shows: int) -> "Figures":
        return Figures(self.held + held, self.no_shows + no_shows)


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationFailed("a period does not end before it starts",
                               {"end": [f"must not be before the start ({start.isoformat()})"]})


def _counts(start: dt.date, end: dt.date, service: str | None):
    """(place, centre_id, held, no-shows) for each place and centre with a held meeting."""
    no_show = sa.case((StatutoryMeeting.attendance == NO_SHOW, 1), else_=0)
    query = (sa.select(StatutoryMeeting.place, StatutoryMeeting.centre_id, sa.func.count(), sa.func.sum(no_show))
             .where(StatutoryMeeting.attendance.in_((ATTENDED, NO_SHOW)),
                    StatutoryMeeting.meets_on >= start, StatutoryMeeting.meets_on <= end)
             .group_by(StatutoryMeeting.place, StatutoryMeeting.centre_id))
    if service is not None:
        query = query.where(StatutoryMeeting.service == service)
    return [(place, centre_id, int(held), int(missed or 0))
            for place, centre_id, held, missed in db.session.execute(query)]


def by_place(start: dt.date, end: dt.date, service: str | None = None) -> dict[str, Figures]:
    """The figures at the centre (every centre together) and at the office, for the period."""
    check_period(start, end)
    figures = {place: Figures() for place in PLACES}
    for place, _, held, missed in _counts(start, end, service):
        figures[place] = figures[place].plus(held, missed)
    return figures


def at_centres(start: dt.date, end: dt.date, service: str | None = None) -> dict[int, Figures]:
    """The figures of each centre with a held meeting in the period, by centre id, in one query
    (a centre missing here held none: `Figures()`)."""
    check_period(start, end)
    return {centre_id: Figures(held, missed)
            for place, centre_id, held, missed in _counts(start, end, service) if place == CENTRE}


def by_centre(start: dt.date, end: dt.date, service: str | None = None) -> list[tuple[Centre, Figures]]:
    """The figures of each centre of the municipality (by name; a centre with no held meeting
    shows 0 held and no rate)."""
    held_at = at_centres(start, end, service)
    centres = db.session.scalars(sa.select(Centre).order_by(Centre.name, Centre.id))
    return [(found, held_at.get(found.id, Figures())) for found in centres]


def body(figures: Figures) -> dict:
    """The figures as the API shows them (held, attended, no-shows, rate)."""
    return {"held": figures.held, "attended": figures.attended, "no_shows": figures.no_shows, "rate": figures.rate}


def report(start: dt.date, end: dt.date, service: str | None = None) -> dict:
    """The API's answer: the period, the service, centre against office, and each centre."""
    places = by_place(start, end, service)
    return {"start": start, "end": end, "service": service, "centre": body(places[CENTRE]),
            "office": body(places[OFFICE]),
            "centres": [{"centre_id": found.id, "name": found.name, **body(figures)}
                        for found, figures in by_centre(start, end, service)]}

"""The published schedule: a centre's weeks as the public page shows them, built from the slots,
holidays and cancellations and stored (`PublishedWeek`), so the page reads what was published.

Why it exists: "De fremskudte medarbejdere skal være tilgængelige og synlige i deres funktion på
værestederne, gerne med faste mødetider. Der skal være en tydelighed omkring, hvilke medarbejdere
der er til rådighed, hvor de kan træffes, hvornår de kan træffes, hvornår der er ferie og
lignende." (the guide, p. 16). And "Brugerne må ikke være i tvivl om, hvem de taler med på et
værested om det er en medarbejder på værestedet eller en fremskudt medarbejder med en
myndighedsopgave" — so an entry says the service, the administration and whether the worker
decides cases there. It names nobody: a published entry holds no user, no name, no e-mail.

Building is idempotent: a rebuild replaces the centre's weeks from this week's Monday to
``schedule_weeks_ahead`` weeks after it (this week and that many more), drops published weeks
beyond them, and keeps the weeks gone by as they were published. An inactive centre's weeks from
this week on are removed. `presence` rebuilds a centre at once after every change of its slots,
holidays or cancellations; the weekly job (`weekly`) rebuilds every centre of the municipality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import current_tenant, db, settings_for, tenant_today, utcnow

from .manifest import PLUGIN_ID
from .models import Centre
from .presence_models import PublishedWeek
from .sessions import WEEK, Session, days, holidays_in, monday_of, sessions


def weeks_ahead(settings: Mapping[str, Any] | None = None) -> int:
    settings = settings if settings is not None else settings_for(current_tenant(), PLUGIN_ID)
    return int(settings.get("schedule_weeks_ahead", 4))


def mondays(today: dt.date, ahead: int) -> list[dt.date]:
    """This week's Monday and the `ahead` Mondays after it."""
    first = monday_of(today)
    return [first + WEEK * n for n in range(ahead + 1)]


def entry(session: Session) -> dict[str, Any]:
    """A held or cancelled session as published: no person in it."""
    slot, service = session.slot, session.service
    return {"date": session.date.isoformat(), "starts": slot.starts.strftime("%H:%M"),
            "ends": slot.ends.strftime("%H:%M"), "kind": service.kind, "administration": service.administration,
            "decides_cases": service.decides_cases, "staffed_by": service.staffed_by,
            "home_visits": service.home_visits, "private_room": slot.private_room, "note": service.note,
            "cancelled": session.cancellation is not None,
            "reason": session.cancellation.reason if session.cancellation else None}


def build_weeks(centre: Centre, weeks: list[dt.date]) -> dict[dt.date, tuple[list[dict], list[dict]]]:
    """Each week's (by its Monday) entries (not on a closed day) and its closed days with the
    holiday's reason — read once for all the weeks, not once a week."""
    if not weeks:
        return {}
    start, end = min(weeks), max(weeks) + dt.timedelta(days=6)
    holidays = holidays_in([centre.id], start, end)
    found = sessions(start, end, centre_ids=[centre.id])
    built = {}
    for monday in weeks:
        sunday = monday + dt.timedelta(days=6)
        closed = []
        for day in days(monday, sunday):
            holiday = next((one for one in holidays if one.starts_on <= day <= one.ends_on), None)
            if holiday is not None:
                closed.append({"date": day.isoformat(), "reason": holiday.reason})
        entries = [entry(one) for one in found if monday <= one.date <= sunday and one.holiday is None]
        built[monday] = (entries, closed)
    return built


def rebuild_centre(centre: Centre, today: dt.date | None = None, ahead: int | None = None) -> int:
    """Publish the centre's weeks again (see the module); how many weeks were built."""
    today = today or tenant_today(current_tenant())
    ahead = weeks_ahead() if ahead is None else ahead
    wanted = mondays(today, ahead) if centre.active else []
    existing = {row.week_of: row for row in db.session.scalars(sa.select(PublishedWeek).where(
        PublishedWeek.centre_id == centre.id, PublishedWeek.week_of >= monday_of(today)))}
    for week_of, row in existing.items():
        if week_of not in wanted:
            db.session.delete(row)
    now = utcnow()
    for monday, (entries, closed) in build_weeks(centre, wanted).items():
        row = existing.get(monday)
        if row is None:
            db.session.add(PublishedWeek(centre_id=centre.id, week_of=monday, built_at=now, entries=entries,
                                         closed=closed))
        else:
            row.entries, row.closed, row.built_at = entries, closed, now
    db.session.flush()
    return len(wanted)


def rebuild_all(settings: Mapping[str, Any], today: dt.date) -> dict[str, int]:
    """Every centre of the municipality in scope: the active ones built, the others' coming
    weeks removed."""
    ahead = weeks_ahead(settings)
    centres = list(db.session.scalars(sa.select(Centre).order_by(Centre.id)))
    weeks = sum(rebuild_centre(one, today, ahead) for one in centres)
    return {"centres": sum(1 for one in centres if one.active), "weeks": weeks}


def published_week(centre: Centre, monday: dt.date) -> PublishedWeek | None:
    return db.session.scalar(sa.select(PublishedWeek).where(PublishedWeek.centre_id == centre.id,
                                                            PublishedWeek.week_of == monday_of(monday)))

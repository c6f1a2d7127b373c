"""The public schedule: pages for citizens and the centres' staff, without logging in, mounted
by the core at /p/<town>/dropin/ (the municipality in scope, 404 for an unknown one or one that has
not enabled the plugin; velferd.web.public_pages).

"Der skal være en tydelighed omkring, hvilke medarbejdere der er til rådighed, hvor de kan
træffes, hvornår de kan træffes, hvornår der er ferie og lignende." (the guide, p. 16) — so a
page per centre shows its week: the days, the times, who is there (the service and its
administration, never a name), a closed day with its reason and a cancelled session with its
reason. It reads the published weeks only (`schedule`), which hold no personal data; an inactive
centre, or another municipality's, is not found.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import (
    NotFound,
    PageBlueprint,
    ValidationError,
    current_tenant,
    db,
    gettext,
    request,
)
from velferd.toolkit import page_response as page

from . import centres, schedule
from .models import Centre
from .presence_schemas import WeekQuery
from .sessions import WEEK, days, monday_of

blp = PageBlueprint("dropin_public", __name__)
TEMPLATES = "dropin/public/"


@blp.get("/")
def centres_page():
    """The municipality's active drop-in centres, each linking to its schedule."""
    town = current_tenant()
    return page(TEMPLATES + "centres.html", gettext("Drop-in centres in %(town)s", town=town.name),
                town=town, centres=centres.centres(active_only=True))


def _week_asked() -> tuple[dt.date | None, bool]:
    """The week asked for, and whether what was asked was understood: a mistyped address, or a
    day outside the years a week may be asked for (`presence_schemas.WEEK_DAYS`), shows this week
    with a 422 and a sentence saying so, not an error in a programmer's format."""
    try:
        return WeekQuery().load({key: value for key, value in request.args.items() if key == "week" and value})["week"], True
    except ValidationError:
        return None, False


@blp.get("/<slug>")
def centre_page(slug: str):
    """A centre's published week (this week unless `week`), day by day."""
    town = current_tenant()
    found = db.session.scalar(sa.select(Centre).where(Centre.slug == slug, Centre.active.is_(True)))
    if found is None:
        raise NotFound(f"no centre {slug}")
    asked, understood = _week_asked()
    monday = monday_of(asked or centres.today())
    row = schedule.published_week(found, monday)
    entries = row.entries if row else []
    closed = {day["date"]: day["reason"] for day in (row.closed if row else [])}
    week = [{"date": day, "closed": closed.get(day.isoformat()),
             "entries": [one for one in entries if one["date"] == day.isoformat()]}
            for day in days(monday, monday + dt.timedelta(days=6))]
    return page(TEMPLATES + "week.html", found.name, town=town, centre=found, monday=monday, week=week,
                published=row is not None, built_at=row.built_at if row else None,
                previous=monday - WEEK, next=monday + WEEK, today=centres.today(), week_not_understood=not understood,
                status=200 if understood else 422)

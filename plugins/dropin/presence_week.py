"""A staff member's week across the centres: every session of theirs, where and when, with the
cancelled ones and those on a centre's holiday marked and their reason — what they (or their
coordinator) check before the week starts. Read live from the slots, not from the published
schedule (which names nobody)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import db

from .models import Centre
from .sessions import monday_of, sessions


def week_of(user_id: int, day: dt.date) -> dict[str, Any]:
    """The week of `day` (Monday to Sunday) of staff member `user_id` (checked by the caller)."""
    monday = monday_of(day)
    found = sessions(monday, monday + dt.timedelta(days=6), user_id=user_id)
    names = {one.id: one.name for one in db.session.scalars(
        sa.select(Centre).where(Centre.id.in_({session.slot.centre_id for session in found})))} if found else {}
    rows = []
    for session in found:
        slot, service = session.slot, session.service
        reason = (session.holiday.reason if session.holiday else
                  session.cancellation.reason if session.cancellation else None)
        rows.append({"date": session.date, "starts": slot.starts, "ends": slot.ends, "centre_id": slot.centre_id,
                     "centre": names[slot.centre_id], "slot_id": slot.id, "kind": service.kind,
                     "administration": service.administration, "private_room": slot.private_room,
                     "cancelled": session.cancellation is not None, "closed": session.holiday is not None,
                     "reason": reason})
    return {"user_id": user_id, "week_of": monday, "sessions": rows}

"""The API of the statutory meetings and their no-show figures, on the plugin's blueprint
(/api/t/<tenant>/x/dropin/...). Reading needs READ; planning a meeting and recording its
attendance need MEETING_RECORD."""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import db, requires

from . import centres, meetings, no_shows
from .api_kit import blp
from .manifest import MEETING_RECORD, READ
from .meeting_schemas import (
    AttendanceInput,
    MeetingInput,
    MeetingQuery,
    NoShowQuery,
    NoShowReport,
    StatutoryMeetingSchema,
)


@blp.get("/meetings")
@requires(READ)
@blp.arguments(MeetingQuery, location="query")
@blp.response(200, StatutoryMeetingSchema(many=True))
def list_meetings(query):
    """The statutory meetings, the latest first, filtered by period (`start`, `end`, both
    included), service, place, centre and attendance."""
    if query["start"] and query["end"]:
        no_shows.check_period(query["start"], query["end"])
    return [meetings.meeting_body(found) for found in meetings.meetings(**query)]


@blp.post("/meetings")
@requires(MEETING_RECORD)
@blp.arguments(MeetingInput)
@blp.response(201, StatutoryMeetingSchema)
def plan_meeting(data):
    """Plan a statutory meeting at the centre (the citizen's choice) or at the office; attendance
    may be given when it is recorded after the meeting's time."""
    created = meetings.plan_meeting(data)
    db.session.commit()
    return meetings.meeting_body(created)


@blp.get("/meetings/<int:meeting_id>")
@requires(READ)
@blp.response(200, StatutoryMeetingSchema)
def read_meeting(meeting_id):
    """A statutory meeting: the service, when and where, whether the citizen chose the centre, attendance."""
    return meetings.meeting_body(meetings.meeting(meeting_id))


@blp.post("/meetings/<int:meeting_id>/attendance")
@requires(MEETING_RECORD)
@blp.arguments(AttendanceInput)
@blp.response(200, StatutoryMeetingSchema)
def record_attendance(data, meeting_id):
    """Record whether the citizen came (attended / no_show, once the time has passed) or that the
    meeting was cancelled."""
    updated = meetings.record_attendance(meetings.meeting(meeting_id), data["attendance"])
    db.session.commit()
    return meetings.meeting_body(updated)


def period_of(query) -> tuple[dt.date, dt.date]:
    """The period asked for: 1 January of this year to today when a bound is left out."""
    today = centres.today()
    return query["start"] or dt.date(today.year, 1, 1), query["end"] or today


@blp.get("/no-shows")
@requires(READ)
@blp.arguments(NoShowQuery, location="query")
@blp.response(200, NoShowReport)
def no_show_report(query):
    """No-shows at the centre against at the office, and per centre, for a period and service:
    held = attended + no-shows; the rate a per-cent figure with one decimal, null if none held."""
    start, end = period_of(query)
    return no_shows.report(start, end, query["service"])

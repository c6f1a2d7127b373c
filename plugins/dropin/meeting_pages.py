"""The pages of the statutory meetings: "Statutory meetings" (the meetings filtered by period,
service, place, centre and attendance; a form per meeting that records whether the citizen came;
the form that plans a meeting) and "No-shows" (centre against office for a period and service,
and each centre, as tables).

The forms post what the API's schemas load (`meeting_schemas`, through the toolkit's
`attempt_form`) to the same services (`meetings`), so a page refuses what the API refuses, with
the same reason: a 422 names its inputs, the page drawn again with what was typed and the error
summary first. Reading needs READ, every form MEETING_RECORD. The centre is chosen from a list
(the schema's `centre_id` is drawn by hand as a select of the municipality's centres).
"""

from __future__ import annotations

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import centres, meetings, no_shows
from .api_meetings import period_of
from .manifest import MEETING_RECORD, READ
from .meeting_schemas import AttendanceInput, MeetingInput, MeetingQuery, NoShowQuery
from .page_kit import Refusal, attempt, blp, done, page

MEETING_FORM, FILTER_FORM, PERIOD_FORM = "meeting", "meetings-filter", "no-shows-period"
TEMPLATES = "dropin/meetings/"


def attendance_form_id(meeting_id: int) -> str:
    return f"attendance-{meeting_id}"


def _split(described, name: str):
    """The fields before and after `name` (drawn by hand between them)."""
    keys = [one.key for one in described]
    at = keys.index(name)
    return described[:at], described[at + 1:]


def _query(form_id: str, schema):
    """The GET filters loaded with the API's query schema, or a refusal naming the input."""
    try:
        query = schema().load(request.args)
        if query.get("start") and query.get("end"):
            no_shows.check_period(query["start"], query["end"])
        return query, None
    except ValidationError as error:
        failed = ValidationFailed("the filter is invalid", error.normalized_messages())
    except ValidationFailed as error:
        failed = error
    return None, Refusal(form_id, failed, form_fields(schema), request.args)


# --- the meetings ---------------------------------------------------------------------------------

def _meetings_page(failed: Refusal | None = None, query: dict | None = None):
    require_permission(READ)
    query = query or {}
    rows = meetings.meetings(**query)
    names = {found.id: found.name for found in centres.centres()}
    mine = failed.of(MEETING_FORM) if failed else None
    before, after = _split(form_fields(MeetingInput), "centre_id")
    return page(TEMPLATES + "meetings.html", gettext("Statutory meetings"), failed.status if failed else 200,
                rows=rows, begun={one.id: meetings.has_begun(one) for one in rows}, names=names,
                active_centres=centres.centres(active_only=True), failed=failed, args=request.args,
                filter_errors=failed.errors if failed and failed.of(FILTER_FORM) else {},
                may_record=has_permission(MEETING_RECORD), before=before, after=after,
                values=mine.values if mine else {}, errors=mine.errors if mine else {},
                attendance_failed=failed if failed and failed.form_id.startswith("attendance-") else None,
                services=meetings.SERVICES, places=meetings.PLACES, attendances=meetings.ATTENDANCES,
                quote=meetings.CHOICE_QUOTE)


@blp.get("/meetings")
def meetings_page():
    """The statutory meetings, the latest first, filtered; the attendance forms and the plan form
    for MEETING_RECORD."""
    require_permission(READ)
    query, refused = _query(FILTER_FORM, MeetingQuery)
    if refused:
        return _meetings_page(refused)
    return _meetings_page(query=query)


@blp.post("/meetings")
def plan_meeting():
    """Plan a meeting (the API's POST meetings)."""
    require_permission(MEETING_RECORD)
    created, refused = attempt(MEETING_FORM, MeetingInput, meetings.plan_meeting)
    if refused:
        return _meetings_page(refused)
    return done(gettext("The meeting on %(day)s is planned.", day=created.meets_on.isoformat()),
                "dropin_pages.meetings_page")


@blp.post("/meetings/<int:meeting_id>/attendance")
def record_attendance(meeting_id: int):
    """Record whether the citizen came (the API's POST meetings/<id>/attendance)."""
    require_permission(MEETING_RECORD)
    found = meetings.meeting(meeting_id)
    _, refused = attempt(attendance_form_id(meeting_id), AttendanceInput,
                         lambda data: meetings.record_attendance(found, data["attendance"]))
    if refused:
        return _meetings_page(refused)
    return done(gettext("The attendance is recorded."), "dropin_pages.meetings_page")


# --- the no-shows ---------------------------------------------------------------------------------

@blp.get("/no-shows")
def no_shows_page():
    """No-shows at the centre against at the office for a period (1 January to today unless
    given) and a service (every service unless given), and each centre's."""
    require_permission(READ)
    query, refused = _query(PERIOD_FORM, NoShowQuery)
    if refused:
        return page(TEMPLATES + "no_shows.html", gettext("No-shows"), refused.status, failed=refused,
                    errors=refused.errors, args=request.args, texts=request.args, services=meetings.SERVICES,
                    places=None, centre_rows=[], start=None, end=None, service=None)
    start, end = period_of(query)
    texts = {"start": start.isoformat(), "end": end.isoformat()}
    return page(TEMPLATES + "no_shows.html", gettext("No-shows"), failed=None, errors={}, args=request.args,
                texts=texts, services=meetings.SERVICES, places=no_shows.by_place(start, end, query["service"]),
                centre_rows=no_shows.by_centre(start, end, query["service"]), start=start, end=end,
                service=query["service"])

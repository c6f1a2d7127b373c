"""Request and response schemas of the statutory meetings and the no-show figures (marshmallow;
in the OpenAPI document, and drawn as the pages' forms by the core's renderer).

Unknown fields are a 422 naming them; string lengths are the columns'. The rules that need the
database, the clock or more than one field (the centre and the citizen's choice, the case, the
administration, attendance only after the time) are `meetings`'; the period's order is
`no_shows`'. Response schemas are named Meeting…/NoShow… so they do not clash with another
plugin's in the OpenAPI document.
"""

from __future__ import annotations

from velferd.toolkit import Id, column_limits, fields, ma, validate

from .meeting_models import StatutoryMeeting
from .meetings import ADMINISTRATIONS, ATTENDANCES, PLACES, SERVICES
from .strict import Strict

_SERVICE = dict(title="Service", description="The outreach service the meeting is part of")
_ADMINISTRATION = dict(title="Administration",
                       description="For case processing: the jobcenter, the social administration or the "
                                   "benefits office")
_PLACE = dict(title="Where", description="At the centre (if the citizen chooses) or at the municipality's office")
_CHOSEN = dict(title="The citizen chose the centre",
               description="A statutory meeting is held at the centre only if the citizen chooses it")


@column_limits(StatutoryMeeting)
class MeetingInput(Strict):
    """A statutory meeting (lovpligtig samtale) to plan, or to record after the fact."""

    service = fields.String(required=True, validate=validate.OneOf(SERVICES), metadata=_SERVICE)
    administration = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ADMINISTRATIONS),
                                   metadata=_ADMINISTRATION)
    subject = fields.String(required=True, validate=validate.Length(min=1),
                            metadata={"title": "Subject",
                                      "description": "A short text, e.g. the follow-up talk; no names or CPR numbers"})
    meets_on = fields.Date(required=True, metadata={"title": "Date"})
    meets_at = fields.Time(required=True, metadata={"title": "Time",
                                                    "description": "Local time, e.g. 10:30"})
    place = fields.String(required=True, validate=validate.OneOf(PLACES), metadata=_PLACE)
    centre_id = Id(strict=True, load_default=None, allow_none=True,
                               metadata={"title": "Centre", "description": "The centre, when held at one"})
    chosen_by_citizen = fields.Boolean(load_default=False, metadata=_CHOSEN)
    attendance = fields.String(load_default="planned", validate=validate.OneOf(ATTENDANCES),
                               metadata={"title": "Attendance",
                                         "description": "Attended or no-show only once the meeting's time has passed"})
    case_id = Id(strict=True, load_default=None, allow_none=True,
                             metadata={"title": "Case", "description": "The dropin case the meeting belongs to"})


class AttendanceInput(Strict):
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCES),
                               metadata={"title": "Attendance",
                                         "description": "Attended or no-show only once the meeting's time has passed"})


class MeetingQuery(Strict):
    start = fields.Date(load_default=None, metadata={"title": "From"})
    end = fields.Date(load_default=None, metadata={"title": "To"})
    service = fields.String(load_default=None, validate=validate.OneOf(SERVICES), metadata={"title": "Service"})
    place = fields.String(load_default=None, validate=validate.OneOf(PLACES), metadata={"title": "Where"})
    centre_id = Id(load_default=None, metadata={"title": "Centre"})
    attendance = fields.String(load_default=None, validate=validate.OneOf(ATTENDANCES),
                               metadata={"title": "Attendance"})


class NoShowQuery(Strict):
    start = fields.Date(load_default=None, metadata={"title": "From",
                                                     "description": "The first day; 1 January this year if omitted"})
    end = fields.Date(load_default=None, metadata={"title": "To",
                                                   "description": "The last day (included); today if omitted"})
    service = fields.String(load_default=None, validate=validate.OneOf(SERVICES),
                            metadata={"title": "Service", "description": "Every service if omitted"})


class StatutoryMeetingSchema(ma.Schema):
    id = fields.Integer(strict=True)
    service = fields.String(metadata={"enum": list(SERVICES)})
    administration = fields.String(allow_none=True)
    subject = fields.String()
    meets_on = fields.Date()
    meets_at = fields.Time()
    place = fields.String(metadata={"enum": list(PLACES)})
    centre_id = Id(strict=True, allow_none=True)
    chosen_by_citizen = fields.Boolean()
    attendance = fields.String(metadata={"enum": list(ATTENDANCES)})
    case_id = Id(strict=True, allow_none=True)
    recorded_by_id = Id(strict=True, allow_none=True, metadata={"description": "The responsible worker"})
    attendance_at = fields.DateTime(allow_none=True)
    may_record_attendance = fields.Boolean(metadata={"description": "The meeting's time has passed"})


class NoShowFigures(ma.Schema):
    held = fields.Integer(strict=True, metadata={"description": "Attended and no-shows; cancelled and planned are not held"})
    attended = fields.Integer(strict=True)
    no_shows = fields.Integer(strict=True)
    rate = fields.Decimal(as_string=True, allow_none=True,
                          metadata={"description": "No-shows of those held, per cent, one decimal; null if none held"})


class NoShowCentreFigures(NoShowFigures):
    centre_id = Id(strict=True)
    name = fields.String()


class NoShowReport(ma.Schema):
    start = fields.Date()
    end = fields.Date()
    service = fields.String(allow_none=True)
    centre = fields.Nested(NoShowFigures, metadata={"description": "Every centre together"})
    office = fields.Nested(NoShowFigures, metadata={"description": "At the municipality's office"})
    centres = fields.List(fields.Nested(NoShowCentreFigures))

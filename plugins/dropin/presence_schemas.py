"""Request and response schemas of the presence part: services, slots, holidays, cancellations,
a published week, a staff member's week and the on-demand rebuild (marshmallow; in the OpenAPI
document, and drawn as the pages' forms).

Unknown fields are a 422 naming them; string lengths are the columns'. The rules that need the
database or two fields (an end after the start, a member of the staff, no double booking, a kind's
own facts) are `presence`'s. Times are local ``HH:MM``; a weekday is its English name.
"""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import Id, column_limits, fields, ma, validate

from .presence import WEEKDAY_NAMES
from .presence_models import ADMINISTRATIONS, SERVICE_KINDS, STAFFED_BY, Cancellation, Holiday, Service
from .strict import Strict

_PUBLIC = "Shown on the public schedule: no names or other personal data"
#: the days a week can be asked for or a rebuild run from: a week's Monday, Sunday and the weeks
#: ahead are computed from it, so a day near date.min/max would overflow (a 500, not a 422)
WEEK_DAYS = validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31))


def _text(required: bool = False, **metadata):
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1),
                         metadata=metadata)


def _time(**metadata):
    return fields.Time(format="%H:%M", required=True, metadata={"description": "HH:MM, local time", **metadata})


# --- services -------------------------------------------------------------------------------------

_KIND = dict(title="Kind of service", description="Outreach case processing, outreach substance-abuse work or "
                                                  "the support and contact person (SKP)")
_ADMINISTRATION = dict(title="Administration", description="Case processing only: where the caseworker comes from")
_DECIDES = dict(title="Decides cases at the centre", description="Case processing only: the caseworker has "
                                                                 "authority and decides cases there")
_STAFFED = dict(title="Staffed by", description="SKP only: the municipality's staff or the centre's")
_HOME = dict(title="Home visits", description="SKP only: may visit citizens at home")


@column_limits(Service)
class ServiceInput(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(SERVICE_KINDS), metadata=_KIND)
    administration = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ADMINISTRATIONS),
                                   metadata=_ADMINISTRATION)
    decides_cases = fields.Boolean(load_default=False, metadata=_DECIDES)
    staffed_by = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STAFFED_BY),
                               metadata=_STAFFED)
    home_visits = fields.Boolean(load_default=False, metadata=_HOME)
    note = _text(title="Note", description=_PUBLIC)
    active = fields.Boolean(load_default=True, metadata={"title": "Active"})


@column_limits(Service)
class ServiceChanges(Strict):
    """A service's changes: only the fields given change (checked as the service will be)."""

    kind = fields.String(validate=validate.OneOf(SERVICE_KINDS), metadata=_KIND)
    administration = fields.String(allow_none=True, validate=validate.OneOf(ADMINISTRATIONS),
                                   metadata=_ADMINISTRATION)
    decides_cases = fields.Boolean(metadata=_DECIDES)
    staffed_by = fields.String(allow_none=True, validate=validate.OneOf(STAFFED_BY), metadata=_STAFFED)
    home_visits = fields.Boolean(metadata=_HOME)
    note = _text(title="Note", description=_PUBLIC)
    active = fields.Boolean(metadata={"title": "Active"})


class ServiceSchema(ma.Schema):
    id = fields.Integer(strict=True)
    kind = fields.String(metadata={"enum": list(SERVICE_KINDS)})
    administration = fields.String(allow_none=True, metadata={"enum": list(ADMINISTRATIONS)})
    decides_cases = fields.Boolean()
    staffed_by = fields.String(allow_none=True, metadata={"enum": list(STAFFED_BY)})
    home_visits = fields.Boolean()
    note = fields.String(allow_none=True)
    active = fields.Boolean()


# --- slots ----------------------------------------------------------------------------------------

class SlotInput(Strict):
    """A weekly time of a service's staff member at the centre."""

    service_id = Id(required=True, strict=True, metadata={"title": "Service"})
    user_id = Id(required=True, strict=True, metadata={"title": "Staff member",
                                                                   "description": "Not published"})
    weekday = fields.String(required=True, validate=validate.OneOf(WEEKDAY_NAMES), metadata={"title": "Weekday"})
    starts = _time(title="Starts")
    ends = _time(title="Ends", description="HH:MM, local time; after the start")
    valid_from = fields.Date(load_default=None, allow_none=True,
                             metadata={"title": "Valid from", "description": "Today if left out"})
    valid_until = fields.Date(load_default=None, allow_none=True,
                              metadata={"title": "Valid until", "description": "Empty if it runs on"})
    private_room = fields.Boolean(load_default=False, metadata={
        "title": "In the private room", "description": "Only where the centre has a private room"})


class SlotEnd(Strict):
    valid_until = fields.Date(required=True, metadata={"title": "Last day", "description": "The slot's last day"})


class PresenceSlotSchema(ma.Schema):
    id = fields.Integer(strict=True)
    centre_id = Id(strict=True)
    service_id = Id(strict=True)
    user_id = Id(strict=True)
    weekday = fields.String(metadata={"enum": list(WEEKDAY_NAMES)})
    starts = fields.Time(format="%H:%M")
    ends = fields.Time(format="%H:%M")
    valid_from = fields.Date()
    valid_until = fields.Date(allow_none=True)
    private_room = fields.Boolean()
    in_force = fields.Boolean(metadata={"description": "Valid today"})


# --- holidays and cancellations -------------------------------------------------------------------

@column_limits(Holiday)
class HolidayInput(Strict):
    """The centre closed (ferie): no sessions from the first day to the last, both included."""

    starts_on = fields.Date(required=True, metadata={"title": "First day"})
    ends_on = fields.Date(required=True, metadata={"title": "Last day", "description": "Not before the first day"})
    reason = _text(required=True, title="Reason", description=_PUBLIC)


class HolidaySchema(ma.Schema):
    id = fields.Integer(strict=True)
    centre_id = Id(strict=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String()


@column_limits(Cancellation)
class CancellationInput(Strict):
    falls_on = fields.Date(required=True, metadata={"title": "Date", "description": "A day the slot runs"})
    reason = _text(required=True, title="Reason", description=_PUBLIC)


class CancellationSchema(ma.Schema):
    id = fields.Integer(strict=True)
    slot_id = Id(strict=True)
    falls_on = fields.Date()
    reason = fields.String()


# --- the published week, a staff member's week, the rebuild ---------------------------------------

class WeekQuery(Strict):
    week = fields.Date(load_default=None, validate=WEEK_DAYS, metadata={"title": "Week", "description": "A day of the week "
                                                                                   "(this week if omitted)"})


class StaffWeekQuery(WeekQuery):
    user_id = Id(load_default=None, metadata={"title": "Staff member",
                                                          "description": "You if omitted"})


class StaffWeekPageQuery(WeekQuery):
    """The staff member's week page's address (``user``, ``week``): the page's names for the API's
    ``user_id`` and ``week``."""

    user = Id(load_default=None, metadata={"title": "Staff member", "description": "You if omitted"})


class EntrySchema(ma.Schema):
    """A published session (stored as JSON: the date ISO, the times HH:MM)."""

    date = fields.String(metadata={"format": "date"})
    starts = fields.String()
    ends = fields.String()
    kind = fields.String(metadata={"enum": list(SERVICE_KINDS)})
    administration = fields.String(allow_none=True)
    decides_cases = fields.Boolean()
    staffed_by = fields.String(allow_none=True)
    home_visits = fields.Boolean()
    private_room = fields.Boolean()
    note = fields.String(allow_none=True)
    cancelled = fields.Boolean()
    reason = fields.String(allow_none=True)


class ClosedDaySchema(ma.Schema):
    date = fields.String(metadata={"format": "date"})
    reason = fields.String()


class PublishedWeekSchema(ma.Schema):
    centre_id = Id(strict=True)
    week_of = fields.Date(metadata={"description": "The week's Monday"})
    published = fields.Boolean(metadata={"description": "False when no schedule is published for the week"})
    built_at = fields.DateTime(allow_none=True)
    entries = fields.List(fields.Nested(EntrySchema))
    closed = fields.List(fields.Nested(ClosedDaySchema))


class StaffSessionSchema(ma.Schema):
    date = fields.Date()
    starts = fields.Time(format="%H:%M")
    ends = fields.Time(format="%H:%M")
    centre_id = Id(strict=True)
    centre = fields.String()
    slot_id = Id(strict=True)
    kind = fields.String()
    administration = fields.String(allow_none=True)
    private_room = fields.Boolean()
    cancelled = fields.Boolean()
    closed = fields.Boolean(metadata={"description": "The centre is closed that day (a holiday)"})
    reason = fields.String(allow_none=True)


class StaffWeekSchema(ma.Schema):
    user_id = Id(strict=True)
    week_of = fields.Date()
    sessions = fields.List(fields.Nested(StaffSessionSchema))


class RebuildInput(Strict):
    on = fields.Date(load_default=None, validate=WEEK_DAYS, metadata={"description": "The day to build from (default: today in the "
                                                                 "municipality's zone)"})


class RebuildResultSchema(ma.Schema):
    on = fields.Date()
    centres = fields.Integer(strict=True, metadata={"description": "Active centres built"})
    weeks = fields.Integer(strict=True, metadata={"description": "Weeks published"})

"""The API of the presence part, on the plugin's blueprint (/api/t/<tenant>/x/dropin/...):
services, a centre's slots, holidays and cancellations, its published weeks, a staff member's
week, and the on-demand rebuild of every published schedule. Reading needs READ; writing needs
SCHEDULE_MANAGE."""

from __future__ import annotations

from velferd.toolkit import current_tenant, current_user, db, requires, tenant_today

from . import centres, presence, presence_week, schedule, weekly
from .api_kit import blp
from .manifest import READ, SCHEDULE_MANAGE
from .presence_schemas import (
    CancellationInput,
    CancellationSchema,
    HolidayInput,
    HolidaySchema,
    PresenceSlotSchema,
    PublishedWeekSchema,
    RebuildInput,
    RebuildResultSchema,
    ServiceChanges,
    ServiceInput,
    ServiceSchema,
    SlotEnd,
    SlotInput,
    StaffWeekQuery,
    StaffWeekSchema,
    WeekQuery,
)
from .sessions import monday_of

# --- services -------------------------------------------------------------------------------------


@blp.get("/services")
@requires(READ)
@blp.response(200, ServiceSchema(many=True))
def list_services():
    """The outreach services the municipality offers at its centres."""
    return [presence.service_body(one) for one in presence.services()]


@blp.post("/services")
@requires(SCHEDULE_MANAGE)
@blp.arguments(ServiceInput)
@blp.response(201, ServiceSchema)
def create_service(data):
    """Add an outreach service: case processing (its administration, whether it decides cases at
    the centre), substance-abuse work, or SKP (who staffs it, home visits)."""
    created = presence.create_service(data)
    db.session.commit()
    return presence.service_body(created)


@blp.patch("/services/<int:service_id>")
@requires(SCHEDULE_MANAGE)
@blp.arguments(ServiceChanges)
@blp.response(200, ServiceSchema)
def update_service(changes, service_id):
    """Change a service; the centres with a slot of it are republished at once."""
    updated = presence.update_service(presence.service(service_id), changes)
    db.session.commit()
    return presence.service_body(updated)


# --- slots ----------------------------------------------------------------------------------------

@blp.get("/centres/<int:centre_id>/slots")
@requires(READ)
@blp.response(200, PresenceSlotSchema(many=True))
def list_slots(centre_id):
    """A centre's weekly times, ended ones too, by weekday and time."""
    return [presence.slot_body(one) for one in presence.slots_of(centres.centre(centre_id))]


@blp.post("/centres/<int:centre_id>/slots")
@requires(SCHEDULE_MANAGE)
@blp.arguments(SlotInput)
@blp.response(201, PresenceSlotSchema)
def create_slot(data, centre_id):
    """Add a weekly time: the end after the start, a staff member of the municipality who is not
    elsewhere then (409 saying where), the private room only where the centre has one."""
    created = presence.create_slot(centres.centre(centre_id), data)
    db.session.commit()
    return presence.slot_body(created)


@blp.post("/slots/<int:slot_id>/end")
@requires(SCHEDULE_MANAGE)
@blp.arguments(SlotEnd)
@blp.response(200, PresenceSlotSchema)
def end_slot(data, slot_id):
    """End a weekly time on its last day (not before its first). A later last day than before
    extends it: the staff member must be free then (409 saying where)."""
    ended = presence.end_slot(presence.slot(slot_id), data["valid_until"])
    db.session.commit()
    return presence.slot_body(ended)


@blp.post("/slots/<int:slot_id>/cancellations")
@requires(SCHEDULE_MANAGE)
@blp.arguments(CancellationInput)
@blp.response(201, CancellationSchema)
def cancel_session(data, slot_id):
    """Cancel one session of a weekly time (a day it runs), with the reason the public sees."""
    created = presence.cancel(presence.slot(slot_id), data)
    db.session.commit()
    return created


@blp.get("/centres/<int:centre_id>/cancellations")
@requires(READ)
@blp.response(200, CancellationSchema(many=True))
def list_cancellations(centre_id):
    """The centre's cancelled sessions, latest first, with the reasons the public sees."""
    return presence.cancellations_of(centres.centre(centre_id))


# --- holidays -------------------------------------------------------------------------------------

@blp.get("/centres/<int:centre_id>/holidays")
@requires(READ)
@blp.response(200, HolidaySchema(many=True))
def list_holidays(centre_id):
    """The centre's holidays (the days it is closed), latest first."""
    return presence.holidays_of(centres.centre(centre_id))


@blp.post("/centres/<int:centre_id>/holidays")
@requires(SCHEDULE_MANAGE)
@blp.arguments(HolidayInput)
@blp.response(201, HolidaySchema)
def create_holiday(data, centre_id):
    """Close the centre from one day to another (ferie): no sessions then."""
    created = presence.create_holiday(centres.centre(centre_id), data)
    db.session.commit()
    return created


# --- the published week, a staff member's week, the rebuild ---------------------------------------

@blp.get("/centres/<int:centre_id>/schedule")
@requires(READ)
@blp.arguments(WeekQuery, location="query")
@blp.response(200, PublishedWeekSchema)
def published_week(query, centre_id):
    """The centre's week as published (this week unless `week`): what the public page shows."""
    found = centres.centre(centre_id)
    monday = monday_of(query["week"] or centres.today())
    row = schedule.published_week(found, monday)
    return {"centre_id": found.id, "week_of": monday, "published": row is not None,
            "built_at": row.built_at if row else None, "entries": row.entries if row else [],
            "closed": row.closed if row else []}


@blp.get("/presence/week")
@requires(READ)
@blp.arguments(StaffWeekQuery, location="query")
@blp.response(200, StaffWeekSchema)
def staff_week(query):
    """A staff member's sessions of a week across the centres (you and this week unless asked)."""
    user_id = query["user_id"] or current_user().id
    presence.staff_member(user_id)
    return presence_week.week_of(user_id, query["week"] or centres.today())


@blp.post("/schedule/rebuild")
@requires(SCHEDULE_MANAGE)
@blp.arguments(RebuildInput)
@blp.response(200, RebuildResultSchema)
def rebuild(data):
    """Rebuild every centre's published weeks now, as the weekly job does."""
    tenant = current_tenant()
    on = data["on"] or tenant_today(tenant)
    built = weekly.run_now(tenant, on)
    db.session.commit()
    return {"on": on, **built}

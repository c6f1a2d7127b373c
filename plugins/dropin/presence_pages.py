"""The staff's pages of the presence part: "Outreach presence" (the services, the form that adds
one, the centres with a link to each one's presence), a centre's presence (its weekly times,
holidays and cancelled sessions, the forms that add a slot and a holiday, and a link to its public
schedule), a slot's page (the forms that end it and cancel one session) and a staff member's week
across the centres.

The forms post what the API's schemas load (`presence_schemas`, through the toolkit's
`attempt_form`) to the same services (`presence`), so a page refuses what the API refuses with the
same reason: a 422 names its inputs, a 409 says why. Reading needs READ, every form
SCHEDULE_MANAGE.
"""

from __future__ import annotations

from velferd.toolkit import (
    ValidationError,
    ValidationFailed,
    current_user,
    form_fields,
    gettext,
    has_permission,
    request,
    require_permission,
)

from . import centres, presence, presence_week
from .manifest import READ, SCHEDULE_MANAGE
from .page_kit import Refusal, attempt, blp, done, page
from .presence_schemas import CancellationInput, HolidayInput, ServiceInput, SlotEnd, SlotInput, StaffWeekPageQuery
from .sessions import WEEK, monday_of

SERVICE_FORM, SLOT_FORM, HOLIDAY_FORM, END_FORM, CANCEL_FORM = "service", "slot", "holiday", "slot-end", "cancellation"
TEMPLATES = "dropin/presence/"


def _form(failed: Refusal | None, form_id: str, default: dict | None = None) -> tuple[dict, dict]:
    mine = failed.of(form_id) if failed else None
    return (mine.values, mine.errors) if mine else (default or {}, {})


# --- the services ---------------------------------------------------------------------------------

def _presence_page(failed: Refusal | None = None):
    require_permission(READ)
    values, errors = _form(failed, SERVICE_FORM, {"active": "on"})
    return page(TEMPLATES + "presence.html", gettext("Outreach presence"), failed.status if failed else 200,
                services=presence.services(), centres=centres.centres(), failed=failed,
                may_manage=has_permission(SCHEDULE_MANAGE), fields=form_fields(ServiceInput), values=values,
                errors=errors)


@blp.get("/presence")
def presence_page():
    """The outreach services, and the centres with a link to each one's presence."""
    return _presence_page()


@blp.post("/presence/services")
def create_service():
    """Add a service (the API's POST services)."""
    require_permission(SCHEDULE_MANAGE)
    _, refused = attempt(SERVICE_FORM, ServiceInput, presence.create_service)
    if refused:
        return _presence_page(refused)
    return done(gettext("The service is added."), "dropin_pages.presence_page")


# --- one centre's presence ------------------------------------------------------------------------

def _centre_presence_page(centre_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = centres.centre(centre_id)
    on = centres.today()
    slot_values, slot_errors = _form(failed, SLOT_FORM)
    holiday_values, holiday_errors = _form(failed, HOLIDAY_FORM)
    staff = presence.staff_members()
    return page(TEMPLATES + "centre.html", gettext("Presence at %(name)s", name=found.name),
                failed.status if failed else 200, centre=found, on=on,
                slots=[(one, presence.in_force(one, on)) for one in presence.slots_of(found)],
                services={one.id: one for one in presence.services()},
                staff=staff, staff_pairs=[(one.id, one.name) for one in staff], holidays=presence.holidays_of(found),
                cancellations=presence.cancellations_of(found), failed=failed,
                may_manage=has_permission(SCHEDULE_MANAGE),
                slot_fields=form_fields(SlotInput), slot_values=slot_values, slot_errors=slot_errors,
                holiday_fields=form_fields(HolidayInput), holiday_values=holiday_values,
                holiday_errors=holiday_errors)


@blp.get("/centres/<int:centre_id>/presence")
def centre_presence_page(centre_id: int):
    """A centre's weekly times, holidays and cancelled sessions, and the forms that add them."""
    return _centre_presence_page(centre_id)


@blp.post("/centres/<int:centre_id>/presence/slots")
def create_slot(centre_id: int):
    """Add a weekly time (the API's POST centres/<id>/slots)."""
    require_permission(SCHEDULE_MANAGE)
    found = centres.centre(centre_id)
    _, refused = attempt(SLOT_FORM, SlotInput, lambda data: presence.create_slot(found, data))
    if refused:
        return _centre_presence_page(centre_id, refused)
    return done(gettext("The weekly time is added and the schedule published."),
                "dropin_pages.centre_presence_page", centre_id=centre_id)


@blp.post("/centres/<int:centre_id>/presence/holidays")
def create_holiday(centre_id: int):
    """Close the centre for a holiday (the API's POST centres/<id>/holidays)."""
    require_permission(SCHEDULE_MANAGE)
    found = centres.centre(centre_id)
    _, refused = attempt(HOLIDAY_FORM, HolidayInput, lambda data: presence.create_holiday(found, data))
    if refused:
        return _centre_presence_page(centre_id, refused)
    return done(gettext("The holiday is added and the schedule published."),
                "dropin_pages.centre_presence_page", centre_id=centre_id)


# --- one slot -------------------------------------------------------------------------------------

def _slot_page(slot_id: int, failed: Refusal | None = None):
    require_permission(READ)
    found = presence.slot(slot_id)
    owner = centres.centre(found.centre_id)
    end_values, end_errors = _form(failed, END_FORM)
    cancel_values, cancel_errors = _form(failed, CANCEL_FORM)
    return page(TEMPLATES + "slot.html", gettext("A weekly time at %(name)s", name=owner.name),
                failed.status if failed else 200, slot=found, centre=owner,
                service=presence.service(found.service_id), worker=presence.staff_members_by_id().get(found.user_id),
                cancellations=[one for one in presence.cancellations_of(owner) if one.slot_id == found.id],
                failed=failed, may_manage=has_permission(SCHEDULE_MANAGE),
                end_fields=form_fields(SlotEnd), end_values=end_values, end_errors=end_errors,
                cancel_fields=form_fields(CancellationInput), cancel_values=cancel_values,
                cancel_errors=cancel_errors)


@blp.get("/slots/<int:slot_id>")
def slot_page(slot_id: int):
    """A weekly time: who holds it, its cancelled sessions, and the forms that end it and cancel one."""
    return _slot_page(slot_id)


@blp.post("/slots/<int:slot_id>/end")
def end_slot(slot_id: int):
    """End a weekly time (the API's POST slots/<id>/end)."""
    require_permission(SCHEDULE_MANAGE)
    found = presence.slot(slot_id)
    _, refused = attempt(END_FORM, SlotEnd, lambda data: presence.end_slot(found, data["valid_until"]))
    if refused:
        return _slot_page(slot_id, refused)
    return done(gettext("The weekly time is ended and the schedule published."), "dropin_pages.slot_page",
                slot_id=slot_id)


@blp.post("/slots/<int:slot_id>/cancellations")
def cancel_session(slot_id: int):
    """Cancel one session (the API's POST slots/<id>/cancellations)."""
    require_permission(SCHEDULE_MANAGE)
    found = presence.slot(slot_id)
    _, refused = attempt(CANCEL_FORM, CancellationInput, lambda data: presence.cancel(found, data))
    if refused:
        return _slot_page(slot_id, refused)
    return done(gettext("The session is cancelled and the schedule published."), "dropin_pages.slot_page",
                slot_id=slot_id)


# --- a staff member's week ------------------------------------------------------------------------

@blp.get("/presence/week")
def week_page():
    """A staff member's week across the centres (`user`, `week`; you and this week by default)."""
    require_permission(READ)
    try:
        query = StaffWeekPageQuery().load({key: value for key, value in request.args.items()
                                           if key in ("user", "week") and value})
    except ValidationError as error:
        raise ValidationFailed("the week or the staff member is invalid", error.normalized_messages()) from None
    user_id = query["user"] if query["user"] is not None else current_user().id
    worker = presence.staff_member(user_id, "user")
    monday = monday_of(query["week"] or centres.today())
    body = presence_week.week_of(user_id, monday)
    return page(TEMPLATES + "week.html", gettext("The week of %(name)s", name=worker.name), 200,
                worker=worker, monday=monday, sunday=monday + WEEK - WEEK / 7, rows=body["sessions"],
                previous=monday - WEEK, next=monday + WEEK, staff=presence.staff_members())

"""The rules of the outreach services' presence: the services, their weekly slots at the
centres, a centre's holidays and a cancelled session.

Where the rules come from (the guide, ../shared/seeds/003_dbb2a96da9dea517.txt):

- a service is of one of three kinds, each with its own facts (`presence_models`): a caseworker
  comes from an administration ("kan komme fra jobcenteret, socialforvaltningen og
  ydelseskontoret"), which only case processing has; who staffs an SKP scheme ("kan varetages af
  kommunens medarbejdere eller af værestedets medarbejdere") and home visits ("kan
  SKP-medarbejderen også opsøge borgere i hjemmet") are the SKP's only; deciding cases at the
  centre ("har en myndighedsfunktion") is case processing's only;
- presence is at fixed weekly times ("typisk en dag om ugen", "på fastsatte tidspunker hver
  uge"): a slot is a weekday and a time that ends after it starts (422 naming ``ends``);
- a slot's staff member is one of the programme's active staff in the municipality (422 naming
  ``user_id``), and
  cannot be at two places at once: a slot overlapping another of theirs — same weekday, times
  and validity overlapping, at any centre — is a 409 saying where;
- the private room ("PLADS TIL FORTROLIGHED") is booked only where the centre has one (422
  naming ``private_room``);
- holidays and cancellations must be clear ("hvornår der er ferie og lignende"): a holiday ends
  on or after it starts; a cancellation is of a day the slot runs, once.

Their reasons and a service's note are published: they are for the public, so no names.
Every write rebuilds that centre's published weeks at once (`schedule.rebuild_centre`), so the
public page is right the same day; the caller commits. Writing needs SCHEDULE_MANAGE (checked by
the API view and the page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Conflict,
    Membership,
    User,
    ValidationFailed,
    db,
    get_owned,
    require_owned,
)

from . import schedule
from .centres import today  # the tenant's today, one definition for every part
from .manifest import ROLES
from .models import Centre
from .presence_models import (
    ADMINISTRATIONS,
    CASE_PROCESSING,
    SERVICE_KINDS,
    SKP,
    STAFFED_BY,
    Cancellation,
    Holiday,
    Service,
    Slot,
)
from .sessions import runs_on

SERVICE_FIELDS = ("kind", "administration", "decides_cases", "staffed_by", "home_visits", "note", "active")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FAR = dt.date.max


# --- reading --------------------------------------------------------------------------------------

def services(active_only: bool = False) -> list[Service]:
    query = sa.select(Service).order_by(Service.kind, Service.administration, Service.id)
    if active_only:
        query = query.where(Service.active.is_(True))
    return list(db.session.scalars(query))


def service(service_id: int) -> Service:
    return require_owned(Service, service_id, "service")


def slot(slot_id: int) -> Slot:
    return require_owned(Slot, slot_id, "slot")


def slots_of(centre: Centre) -> list[Slot]:
    """A centre's slots, ended ones too, by weekday and time."""
    return list(db.session.scalars(sa.select(Slot).where(Slot.centre_id == centre.id)
                                   .order_by(Slot.weekday, Slot.starts, Slot.id)))


def holidays_of(centre: Centre) -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).where(Holiday.centre_id == centre.id)
                                   .order_by(Holiday.starts_on.desc(), Holiday.id.desc())))


def cancellations_of(centre: Centre) -> list[Cancellation]:
    return list(db.session.scalars(sa.select(Cancellation).join(Slot, Slot.id == Cancellation.slot_id)
                                   .where(Slot.centre_id == centre.id)
                                   .order_by(Cancellation.falls_on.desc(), Cancellation.id.desc())))


def _programme_staff(query) -> list[User]:
    """The users of `query` (joined to their membership here) who hold one of the programme's
    roles: an outreach worker, the centre's staff (an SKP the centre staffs) or the coordinator —
    not every member of the municipality (its finance officer or auditor holds no slot)."""
    rows = db.session.execute(query.add_columns(Membership.roles)).all()
    return [user for user, roles in rows if set(roles or ()) & set(ROLES)]


def staff_members() -> list[User]:
    """The programme's active staff in the municipality, by name (who may hold a slot)."""
    return _programme_staff(sa.select(User).join(Membership, Membership.user_id == User.id)
                            .where(User.active.is_(True)).order_by(User.name, User.id))


def staff_members_by_id() -> dict[int, User]:
    return {one.id: one for one in staff_members()}


def staff_member(user_id: int, field: str = "user_id") -> User:
    """An active member of the municipality in scope (the membership is tenant-owned) with one of
    the programme's roles, or a 422 naming `field`."""
    found = _programme_staff(sa.select(User).join(Membership, Membership.user_id == User.id)
                             .where(User.id == user_id, User.active.is_(True)))
    if not found:
        raise ValidationFailed(f"user {user_id} is not one of the programme's active staff here",
                               {field: [f"User {user_id} is not an active outreach worker, centre staff member "
                                        "or coordinator of this municipality."]})
    return found[0]


def in_force(found: Slot, on: dt.date) -> bool:
    return found.valid_from <= on and (found.valid_until is None or on <= found.valid_until)


# --- services -------------------------------------------------------------------------------------

def _check_service(values: Mapping[str, Any]) -> None:
    """Each kind's own facts, and nothing of another kind's."""
    kind = values["kind"]
    if kind not in SERVICE_KINDS:
        raise ValidationFailed("unknown kind of service", {"kind": [f"one of {', '.join(SERVICE_KINDS)}"]})
    if kind == CASE_PROCESSING:
        if values.get("administration") not in ADMINISTRATIONS:
            raise ValidationFailed("outreach case processing comes from an administration",
                                   {"administration": [f"one of {', '.join(ADMINISTRATIONS)}"]})
    elif values.get("administration") is not None:
        raise ValidationFailed("only outreach case processing comes from an administration",
                               {"administration": ["leave it out for this kind of service"]})
    if kind != CASE_PROCESSING and values.get("decides_cases"):
        raise ValidationFailed("only an outreach caseworker decides cases at the centre",
                               {"decides_cases": ["only for outreach case processing"]})
    if kind == SKP:
        if values.get("staffed_by") not in STAFFED_BY:
            raise ValidationFailed("an SKP scheme is staffed by the municipality or by the centre",
                                   {"staffed_by": [f"one of {', '.join(STAFFED_BY)}"]})
    else:
        if values.get("staffed_by") is not None:
            raise ValidationFailed("only an SKP scheme says who staffs it",
                                   {"staffed_by": ["leave it out for this kind of service"]})
        if values.get("home_visits"):
            raise ValidationFailed("home visits are the support and contact person's (SKP)",
                                   {"home_visits": ["only for the SKP scheme"]})


def _unique_service(values: Mapping[str, Any], except_id: int | None = None) -> None:
    same = db.session.scalar(sa.select(Service.id).where(
        Service.kind == values["kind"], Service.id != (except_id or 0),
        Service.administration.is_(None) if values.get("administration") is None
        else Service.administration == values["administration"],
        Service.staffed_by.is_(None) if values.get("staffed_by") is None
        else Service.staffed_by == values["staffed_by"]))
    if same is not None:
        raise Conflict(f"the municipality already has this service (service {same})",
                       {"kind": [f"the same as service {same}"]})


def create_service(data: Mapping[str, Any]) -> Service:
    values = {"administration": None, "decides_cases": False, "staffed_by": None, "home_visits": False,
              "note": None, "active": True, **data}
    _check_service(values)
    _unique_service(values)
    created = Service(**{name: values[name] for name in SERVICE_FIELDS})
    db.session.add(created)
    db.session.flush()
    return created


def update_service(found: Service, changes: Mapping[str, Any]) -> Service:
    """Change a service, checked as it will be; every centre with a slot of it is republished."""
    values = {**{name: getattr(found, name) for name in SERVICE_FIELDS}, **changes}
    _check_service(values)
    _unique_service(values, found.id)
    for name in SERVICE_FIELDS:
        setattr(found, name, values[name])
    db.session.flush()
    for centre in db.session.scalars(sa.select(Centre).where(
            Centre.id.in_(sa.select(Slot.centre_id).where(Slot.service_id == found.id))).order_by(Centre.id)):
        schedule.rebuild_centre(centre)
    return found


# --- slots ----------------------------------------------------------------------------------------

def _check_times(starts: dt.time, ends: dt.time) -> None:
    if ends <= starts:
        raise ValidationFailed("a session ends after it starts",
                               {"ends": [f"must be after the start ({starts.strftime('%H:%M')})"]})


def _check_validity(valid_from: dt.date, valid_until: dt.date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed("a slot cannot end before it starts",
                               {"valid_until": [f"must not be before {valid_from.isoformat()}"]})


def _overlaps(a_from, a_until, b_from, b_until) -> bool:
    return a_from <= (b_until or FAR) and b_from <= (a_until or FAR)


def _check_overlap(values: Mapping[str, Any], except_id: int | None = None) -> None:
    """The staff member is not already somewhere (any centre) at that time."""
    others = db.session.scalars(sa.select(Slot).where(
        Slot.user_id == values["user_id"], Slot.weekday == values["weekday"], Slot.id != (except_id or 0),
        Slot.starts < values["ends"], Slot.ends > values["starts"]))
    for other in others:
        if _overlaps(values["valid_from"], values.get("valid_until"), other.valid_from, other.valid_until):
            where = require_owned(Centre, other.centre_id, "centre")
            raise Conflict(
                f"the staff member already has slot {other.id} at {where.name} on "
                f"{WEEKDAY_NAMES[other.weekday]}s {other.starts.strftime('%H:%M')}–{other.ends.strftime('%H:%M')} "
                f"from {other.valid_from.isoformat()}"
                + (f" until {other.valid_until.isoformat()}" if other.valid_until else ""),
                {"user_id": [f"already at {where.name} then (slot {other.id})"]})


def _check_room(centre: Centre, private_room: bool) -> None:
    if private_room and not centre.private_room:
        raise ValidationFailed(f"{centre.name} has no private room for confidential talks",
                               {"private_room": ["the centre has no private room"]})


def _usable_service(service_id: int) -> Service:
    found = get_owned(Service, service_id)
    if found is None or not found.active:
        raise ValidationFailed(f"no active service {service_id}",
                               {"service_id": [f"Service {service_id} is not an active service here."]})
    return found


def create_slot(centre: Centre, data: Mapping[str, Any]) -> Slot:
    """A weekly time at `centre` (valid from today unless given)."""
    values = {"valid_from": None, "valid_until": None, "private_room": False, **data}
    values["valid_from"] = values["valid_from"] or today()
    values["weekday"] = WEEKDAY_NAMES.index(values["weekday"]) if isinstance(values["weekday"], str) \
        else values["weekday"]
    _check_times(values["starts"], values["ends"])
    _check_validity(values["valid_from"], values["valid_until"])
    _usable_service(values["service_id"])
    staff_member(values["user_id"])
    _check_room(centre, values["private_room"])
    _check_overlap(values)
    created = Slot(centre_id=centre.id, service_id=values["service_id"], user_id=values["user_id"],
                   weekday=values["weekday"], starts=values["starts"], ends=values["ends"],
                   valid_from=values["valid_from"], valid_until=values["valid_until"],
                   private_room=values["private_room"])
    db.session.add(created)
    db.session.flush()
    schedule.rebuild_centre(centre)
    return created


def end_slot(found: Slot, valid_until: dt.date) -> Slot:
    """The slot's last day (its sessions after it are no longer published; the history stays).
    A later last day than before extends the slot, so the staff member must be free then too
    (409 saying where, as for a new slot)."""
    _check_validity(found.valid_from, valid_until)
    _check_overlap({"user_id": found.user_id, "weekday": found.weekday, "starts": found.starts, "ends": found.ends,
                    "valid_from": found.valid_from, "valid_until": valid_until}, found.id)
    found.valid_until = valid_until
    db.session.flush()
    schedule.rebuild_centre(require_owned(Centre, found.centre_id, "centre"))
    return found


# --- holidays and cancellations -------------------------------------------------------------------

def create_holiday(centre: Centre, data: Mapping[str, Any]) -> Holiday:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("a holiday cannot end before it starts",
                               {"ends_on": [f"must not be before the start ({data['starts_on'].isoformat()})"]})
    created = Holiday(centre_id=centre.id, starts_on=data["starts_on"], ends_on=data["ends_on"],
                      reason=data["reason"])
    db.session.add(created)
    db.session.flush()
    schedule.rebuild_centre(centre)
    return created


def cancel(found: Slot, data: Mapping[str, Any]) -> Cancellation:
    """One session of the slot does not take place: a day it runs, cancelled once."""
    day = data["falls_on"]
    if not runs_on(found, day):
        raise ValidationFailed(f"slot {found.id} has no session on {day.isoformat()}",
                               {"falls_on": [f"the slot runs on {WEEKDAY_NAMES[found.weekday]}s "
                                             f"from {found.valid_from.isoformat()}"
                                             + (f" until {found.valid_until.isoformat()}" if found.valid_until
                                                else "")]})
    if db.session.scalar(sa.select(Cancellation.id).where(Cancellation.slot_id == found.id,
                                                           Cancellation.falls_on == day)) is not None:
        raise Conflict(f"the session on {day.isoformat()} is already cancelled",
                       {"falls_on": ["already cancelled"]})
    created = Cancellation(slot_id=found.id, falls_on=day, reason=data["reason"])
    db.session.add(created)
    db.session.flush()
    schedule.rebuild_centre(require_owned(Centre, found.centre_id, "centre"))
    return created


# --- bodies ---------------------------------------------------------------------------------------

def service_body(found: Service) -> dict[str, Any]:
    return {"id": found.id, **{name: getattr(found, name) for name in SERVICE_FIELDS}}


def slot_body(found: Slot, on: dt.date | None = None) -> dict[str, Any]:
    return {"id": found.id, "centre_id": found.centre_id, "service_id": found.service_id, "user_id": found.user_id,
            "weekday": WEEKDAY_NAMES[found.weekday], "starts": found.starts, "ends": found.ends,
            "valid_from": found.valid_from, "valid_until": found.valid_until, "private_room": found.private_room,
            "in_force": in_force(found, on or today())}

"""Statutory meetings at the centre or at the office, and their attendance.

The rules come from the seed's guide (../shared/seeds/003_dbb2a96da9dea517.txt):

- the citizen must come, the place is the citizen's choice: "Sagsbehandlere kan også tilbyde, at
  lovpligtige samtaler kan holdes på værestederne i stedet for i forvaltningerne. Borgerne har her
  pligt til at komme, men det er et tilbud, at det kan foregå på værestederne." — so a meeting at
  the centre names the centre and records that the citizen chose it (without that, a 422 naming
  `chosen_by_citizen`); a meeting at the office (the municipality) names no centre;
- the services are the outreach ones ("fremskudt sagsbehandling" from the jobcenter, the social
  administration or the benefits office; "fremskudt misbrugsindsats"; the SKP scheme) — kept here
  as constants for now (the lead unifies them with the presence part's);
- attendance is what happened, so it is recorded once the meeting's time has passed: attended or
  no_show for a meeting still in the future is a 422 naming `attendance` (cancelled is allowed at
  any time, and planned puts a record back).

A meeting holds no name or CPR number: the subject is a short text (a CPR-like number in it is
refused), the citizen is reached only through the optional case — a dropin case of this
municipality (the core's `Case`), anything else a 422 naming `case_id`. Every write needs
MEETING_RECORD (checked by the API view and the page).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    ValidationFailed,
    audit,
    current_tenant,
    current_user,
    db,
    get_owned,
    require_owned,
    utcnow,
)

from .meeting_models import StatutoryMeeting
from .models import Centre
from .services import ADMINISTRATIONS, CASE_PROCESSING, OUTREACH_SERVICES

#: the outreach services (fremskudte indsatser) whose statutory meetings are recorded
SERVICES = OUTREACH_SERVICES
CENTRE, OFFICE = "centre", "office"
PLACES = (CENTRE, OFFICE)
PLANNED, ATTENDED, NO_SHOW, CANCELLED = "planned", "attended", "no_show", "cancelled"
ATTENDANCES = (PLANNED, ATTENDED, NO_SHOW, CANCELLED)
#: what can only be said once the meeting's time has passed
HAPPENED = (ATTENDED, NO_SHOW)
PLUGIN_ID = "dropin"
#: six digits, an optional hyphen, four digits: a CPR number has no place in a meeting's subject
CPR_LIKE = re.compile(r"\d{6}-?\d{4}")
MEETING_FIELDS = ("service", "administration", "subject", "meets_on", "meets_at", "place", "centre_id",
                  "chosen_by_citizen", "attendance", "case_id")

#: the seed's words behind "at the centre only if the citizen chooses", quoted on the pages
CHOICE_QUOTE = ("Sagsbehandlere kan også tilbyde, at lovpligtige samtaler kan holdes på værestederne i stedet for "
                "i forvaltningerne. Borgerne har her pligt til at komme, men det er et tilbud, at det kan foregå på "
                "værestederne.")


# --- reading --------------------------------------------------------------------------------------

def meeting(meeting_id: int) -> StatutoryMeeting:
    """A meeting of the tenant in scope (404 otherwise, another municipality's too)."""
    return require_owned(StatutoryMeeting, meeting_id, "meeting")


def meetings(start: dt.date | None = None, end: dt.date | None = None, service: str | None = None,
             place: str | None = None, centre_id: int | None = None,
             attendance: str | None = None) -> list[StatutoryMeeting]:
    """The municipality's meetings, filtered, the latest first."""
    query = sa.select(StatutoryMeeting)
    for column, value in ((StatutoryMeeting.service, service), (StatutoryMeeting.place, place),
                          (StatutoryMeeting.centre_id, centre_id), (StatutoryMeeting.attendance, attendance)):
        if value is not None:
            query = query.where(column == value)
    if start is not None:
        query = query.where(StatutoryMeeting.meets_on >= start)
    if end is not None:
        query = query.where(StatutoryMeeting.meets_on <= end)
    return list(db.session.scalars(query.order_by(StatutoryMeeting.meets_on.desc(), StatutoryMeeting.meets_at.desc(),
                                                  StatutoryMeeting.id.desc())))


def local_now() -> dt.datetime:
    """Now on the municipality's wall clock (naive, to compare with a meeting's date and time)."""
    return dt.datetime.now(ZoneInfo(current_tenant().time_zone)).replace(tzinfo=None)


def has_begun(found: StatutoryMeeting | Mapping[str, Any], now: dt.datetime | None = None) -> bool:
    """Whether the meeting's local start has passed (attendance can be recorded)."""
    on, at = (found["meets_on"], found["meets_at"]) if isinstance(found, Mapping) else (found.meets_on, found.meets_at)
    return dt.datetime.combine(on, at) <= (now or local_now())


def meeting_body(found: StatutoryMeeting) -> dict[str, Any]:
    """A meeting as the API shows it (no name, no CPR: the case's id at most)."""
    return {"id": found.id, **{name: getattr(found, name) for name in MEETING_FIELDS},
            "recorded_by_id": found.recorded_by_id, "attendance_at": found.attendance_at,
            "may_record_attendance": has_begun(found)}


# --- the rules ------------------------------------------------------------------------------------

def _check_service(values: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    if values["service"] not in SERVICES:
        errors["service"] = [f"one of {', '.join(SERVICES)}"]
    elif values["service"] == CASE_PROCESSING and values.get("administration") not in ADMINISTRATIONS:
        errors["administration"] = [f"case processing comes from one of {', '.join(ADMINISTRATIONS)}"]
    elif values["service"] != CASE_PROCESSING and values.get("administration") is not None:
        errors["administration"] = ["only case processing comes from an administration"]


def _check_place(values: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    """At the centre: a centre of this municipality, active, and the citizen's choice. At the
    office: no centre."""
    place, centre_id = values["place"], values.get("centre_id")
    if place not in PLACES:
        errors["place"] = [f"one of {', '.join(PLACES)}"]
    elif place == OFFICE and centre_id is not None:
        errors["centre_id"] = ["a meeting at the office is not held at a centre"]
    elif place == CENTRE:
        found = get_owned(Centre, centre_id) if centre_id is not None else None
        if centre_id is None:
            errors["centre_id"] = ["a meeting at the centre names the centre"]
        elif found is None:
            errors["centre_id"] = [f"no centre {centre_id} in this municipality"]
        elif not found.active:
            errors["centre_id"] = ["the centre is not active"]
        if not values.get("chosen_by_citizen"):
            errors["chosen_by_citizen"] = ["a statutory meeting is held at the centre only if the citizen chooses it"]


def _check_case(case_id: int | None, errors: dict[str, list[str]]) -> None:
    """A dropin case of this municipality; another plugin's or municipality's is refused alike."""
    if case_id is None:
        return
    found = get_owned(Case, case_id)
    if found is None or found.plugin != PLUGIN_ID:
        errors["case_id"] = [f"no dropin case {case_id} in this municipality"]


def _check_subject(subject: str, errors: dict[str, list[str]]) -> None:
    if CPR_LIKE.search(subject or ""):
        errors["subject"] = ["no CPR number in a meeting's subject"]


def _check_attendance(values: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    if values["attendance"] not in ATTENDANCES:
        errors["attendance"] = [f"one of {', '.join(ATTENDANCES)}"]
    elif values["attendance"] in HAPPENED and not has_begun(values):
        errors["attendance"] = ["attendance is recorded after the meeting's time, not before"]


def check(values: Mapping[str, Any]) -> None:
    """Every rule at once, so a refusal names every field that is wrong (422)."""
    errors: dict[str, list[str]] = {}
    _check_service(values, errors)
    _check_place(values, errors)
    _check_case(values.get("case_id"), errors)
    _check_subject(values["subject"], errors)
    _check_attendance(values, errors)
    if errors:
        raise ValidationFailed("the meeting cannot be recorded like this", errors)


# --- writing --------------------------------------------------------------------------------------

def _actor_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


def plan_meeting(data: Mapping[str, Any]) -> StatutoryMeeting:
    """Plan (or record after the fact) a statutory meeting."""
    values = {"administration": None, "centre_id": None, "chosen_by_citizen": False, "attendance": PLANNED,
              "case_id": None, **data}
    check(values)
    created = StatutoryMeeting(**{name: values[name] for name in MEETING_FIELDS}, recorded_by_id=_actor_id())
    if values["attendance"] != PLANNED:
        created.attendance_by_id, created.attendance_at = created.recorded_by_id, utcnow()
    db.session.add(created)
    db.session.flush()
    audit.record("dropin.meeting.planned", "dropin_meeting", created.id, details={"place": created.place})
    return created


def record_attendance(found: StatutoryMeeting, attendance: str) -> StatutoryMeeting:
    """Record whether the citizen came (after the time), or that the meeting was cancelled."""
    values = {name: getattr(found, name) for name in MEETING_FIELDS}
    errors: dict[str, list[str]] = {}
    _check_attendance({**values, "attendance": attendance}, errors)
    if errors:
        raise ValidationFailed("the attendance cannot be recorded", errors)
    found.attendance = attendance
    found.attendance_by_id, found.attendance_at = _actor_id(), utcnow()
    db.session.flush()
    audit.record("dropin.meeting.attendance", "dropin_meeting", found.id, details={"attendance": attendance})
    return found

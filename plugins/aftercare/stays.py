"""A resident's stay: the application from treatment, what must be recorded before intake, the
living phase's dates, the limit's warnings and the move-out.

The plan's phases are the workflow's states (`workflow`): "Vurdering av hvem som er aktuelle for
ettervernsboligene vil starte tidlig i behandlingsopplegget på institusjon" (the assessment, while
the person is still in treatment), "Inntak i ettervernsboligen vil skje etter behandling i
institusjon" (intake after treatment), and the living phase: "Oppholdet i ettervernsboligene har
en varighet på inntil to år" — "Tenkt botid i leilighetene er 1-2 år og forutsetter progresjon".
The stay then ends in "utskrivelse til hjemkommune eller til egen bolig i Alta kommune", the last
phase of the chain of measures.

The limit is never passed silently: the daily job (`raise_limit_warnings`) raises a core deadline
for each of the settings' ``warning_days`` before it, and the limit itself is a deadline that turns
overdue when it passes; only a recorded, reasoned extension decision (`extension`) moves it.

These functions write to the session and flush; the caller (an API view, a hook) commits.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    CaseEvent,
    Conflict,
    Deadline,
    FormSubmission,
    NotFound,
    Person,
    ValidationFailed,
    db,
    get_owned,
    settings_for,
    tenant_today,
    utcnow,
)

from . import occupancy
from .manifest import PLUGIN_ID
from .models import Flat
from .stay_models import Stay
from .stay_schemas import ApplicationForm, MoveInPayload, MoveOutPayload, PlanMoveOutPayload

# the workflow's states (velferd_aftercare.workflow), named here where the stay's rules use them
APPLIED = "applied"
ASSESSMENT = "assessment"
AWAITING_INTAKE = "awaiting_intake"
LIVING = "living"
MOVING_OUT = "moving_out"
MOVED_OUT = "moved_out"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
STATES = (APPLIED, ASSESSMENT, AWAITING_INTAKE, LIVING, MOVING_OUT, MOVED_OUT, DECLINED, WITHDRAWN)
#: before intake: the application and the dates recorded for it may still change
BEFORE_INTAKE = (APPLIED, ASSESSMENT, AWAITING_INTAKE)
#: the resident lives in the flat
RESIDENT = (LIVING, MOVING_OUT)

APPLICATION_FORM = "application"
#: the stay's limit as a core deadline, and each warning before it ("aftercare.stay_limit_90")
LIMIT_KIND = "aftercare.stay_limit"
#: the journal entry for a limit moved by an extension decision (and moved back by its override)
LIMIT_MOVED = "stay_limit_moved"


def warning_kind(days: int) -> str:
    return f"{LIMIT_KIND}_{days}"


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; a day the month lacks is its last (31 Jan + 1 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- finding ---------------------------------------------------------------------------------------

def aftercare_case(case_id: int) -> Case:
    """The tenant's aftercare case `case_id`, or 404."""
    case = get_owned(Case, case_id)
    if case is None or case.plugin != PLUGIN_ID:
        raise NotFound(f"no aftercare case {case_id}")
    return case


def stay_of(case_id: int) -> Stay | None:
    return db.session.scalar(sa.select(Stay).where(Stay.case_id == case_id))


def require_stay(case: Case) -> Stay:
    """The case's stay, or 409: there is none until the application form is submitted."""
    stay = stay_of(case.id)
    if stay is None:
        raise Conflict(f"case {case.id} has no application yet; submit the form '{APPLICATION_FORM}' first")
    return stay


def application_data(case_id: int) -> dict[str, Any] | None:
    """The latest application submitted on the case, as stored (the expected discharge is kept
    only there: the stay keeps the day the treatment actually ended)."""
    submission = db.session.scalar(
        sa.select(FormSubmission)
        .where(FormSubmission.case_id == case_id, FormSubmission.plugin == PLUGIN_ID,
               FormSubmission.form == APPLICATION_FORM)
        .order_by(FormSubmission.id.desc()).limit(1))
    return submission.data if submission is not None else None


# --- the application and the dates before intake ------------------------------------------------

def record_application(case: Case, data: Mapping[str, Any], today: dt.date) -> Stay:
    """Create or update the case's stay from the application form (loaded by `ApplicationForm`).
    Only before intake: a resident's history is not rewritten by a later form (409). The person
    applies from a treatment that has begun ("Vurdering ... vil starte tidlig i
    behandlingsopplegget"), so its start is not in the future, and the expected discharge is not
    before it."""
    if case.state not in BEFORE_INTAKE:
        raise Conflict(f"case {case.id} is {case.state}: the application can only change before intake")
    _not_in_the_future("treatment_started_on", data["treatment_started_on"], today)
    discharge = data.get("expected_discharge_on")
    if discharge is not None and discharge < data["treatment_started_on"]:
        raise ValidationFailed("the discharge cannot be expected before the treatment started",
                               {"expected_discharge_on": [
                                   f"must be on or after {data['treatment_started_on'].isoformat()}"]})
    home = (data.get("home_municipality") or "").strip() or None
    stay = stay_of(case.id)
    if stay is None:
        stay = Stay(case_id=case.id)
        db.session.add(stay)
    stay.institution = data["institution"].strip()
    stay.treatment_started_on = data["treatment_started_on"]
    stay.at_partner_institution = bool(data.get("at_partner_institution"))
    stay.home_municipality = home
    if stay.treatment_ended_on is not None and stay.treatment_ended_on < stay.treatment_started_on:
        ended = stay.treatment_ended_on.isoformat()
        raise ValidationFailed("the treatment cannot start after it ended",
                               {"treatment_started_on": [f"must be on or before {ended}"]})
    db.session.flush()
    return stay


def on_form_submitted(tenant, submission, actor) -> None:
    """The application form creates or updates the case's stay (ON_FORM_SUBMITTED)."""
    if submission.form != APPLICATION_FORM:
        return
    if submission.case_id is None:
        raise ValidationFailed("the application belongs to a case", {"case_id": ["name the aftercare case"]})
    record_application(aftercare_case(submission.case_id), ApplicationForm().load(submission.data),
                       tenant_today(tenant))


def _not_in_the_future(field: str, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise ValidationFailed(f"{field} is in the future",
                               {field: [f"must be today ({today.isoformat()}) or earlier"]})


def _before_intake(case: Case, what: str) -> Stay:
    stay = require_stay(case)
    if case.state not in BEFORE_INTAKE:
        raise Conflict(f"case {case.id} is {case.state}: {what} is recorded before intake")
    return stay


def record_consent(case: Case, on: dt.date, today: dt.date) -> Stay:
    """The person's own wish to take part, with its date: "Brukeren må selv ønske å delta i
    prosjektet" — no consent, no intake (the move_in guard)."""
    stay = _before_intake(case, "consent")
    _not_in_the_future("consent_on", on, today)
    stay.consent_on = on
    db.session.flush()
    return stay


def record_rules_agreed(case: Case, on: dt.date, today: dt.date) -> Stay:
    """The binding rules and agreement signed: "en forutsetning at det må være bindende, klare
    regler og avtaler mellom beboere og boligeier" — no intake without them."""
    stay = _before_intake(case, "the rules and agreement")
    _not_in_the_future("rules_agreed_on", on, today)
    stay.rules_agreed_on = on
    db.session.flush()
    return stay


def record_treatment_ended(case: Case, on: dt.date, today: dt.date) -> Stay:
    """The day the treatment ended: intake "vil skje etter behandling i institusjon"."""
    stay = _before_intake(case, "the end of treatment")
    _not_in_the_future("treatment_ended_on", on, today)
    if on < stay.treatment_started_on:
        raise ValidationFailed("the treatment cannot end before it started",
                               {"treatment_ended_on": [f"must be on or after {stay.treatment_started_on.isoformat()}"]})
    stay.treatment_ended_on = on
    db.session.flush()
    return stay


# --- what refuses an intake (the move_in guards ask these) --------------------------------------

def partner_flat_refusal(stay: Stay, flat: Flat, case_id: int, on: dt.date, months: int) -> str | None:
    """The flat at Finnmarkskollektivet's disposal is for "beboere som har vært inne til behandling
    hos dem i ett år": a stay from the partner institution, `months` (the settings'
    ``partner_treatment_months``) of treatment by the day it ended, and the partner's reservation
    of that flat for this case."""
    if flat.allocated_by != "partner":
        return None
    partner = flat.partner_name or "the partner"
    if not stay.at_partner_institution:
        return f"flat {flat.label} is at {partner}'s disposal, for a person in treatment there"
    treated_until = stay.treatment_ended_on or on
    if add_months(stay.treatment_started_on, months) > treated_until:
        return (f"flat {flat.label} is for a person who has been in treatment at {partner} for {months} months; "
                f"the treatment from {stay.treatment_started_on.isoformat()} to {treated_until.isoformat()} is shorter")
    if occupancy.reservation_for(case_id, flat.id, on) is None:
        return (f"flat {flat.label} is allocated by {partner}: it has not reserved the flat for this case on "
                f"{on.isoformat()}")
    return None


# --- the moves -----------------------------------------------------------------------------------

def _open_stay_deadlines(case_id: int) -> list[Deadline]:
    return list(db.session.scalars(sa.select(Deadline).where(
        Deadline.case_id == case_id, Deadline.completed_at.is_(None),
        sa.or_(Deadline.kind == LIMIT_KIND, Deadline.kind.like(f"{LIMIT_KIND}\\_%", escape="\\")))))


def limit_deadline(case_id: int) -> Deadline | None:
    """The open deadline of the stay's limit, if any."""
    return next((d for d in _open_stay_deadlines(case_id) if d.kind == LIMIT_KIND), None)


def _ensure_limit_deadline(stay: Stay) -> bool:
    """The limit as an open deadline due on `limit_on`; True when it was created now."""
    deadline = limit_deadline(stay.case_id)
    if deadline is None:
        db.session.add(Deadline(case_id=stay.case_id, kind=LIMIT_KIND, due_on=stay.limit_on))
        return True
    deadline.due_on = stay.limit_on
    return False


def move_in(case: Case, payload: Mapping[str, Any], settings: Mapping[str, Any]) -> Stay:
    """Intake (the guards have agreed): the flat, the living phase's dates — the planned move-out
    after ``planned_stay_months``, the limit after ``stay_limit_months`` — the flat occupied and
    the limit a deadline."""
    data = MoveInPayload().load(payload)
    stay = require_stay(case)
    flat = get_owned(Flat, data["flat_id"])
    on = data["moved_in_on"]
    stay.flat_id = flat.id
    stay.moved_in_on = on
    stay.planned_move_out_on = add_months(on, settings["planned_stay_months"])
    stay.limit_on = add_months(on, settings["stay_limit_months"])
    occupancy.occupy(flat, case.id, on)
    _ensure_limit_deadline(stay)
    db.session.flush()
    return stay


def plan_move_out(case: Case, payload: Mapping[str, Any]) -> Stay:
    data = PlanMoveOutPayload().load(payload)
    stay = require_stay(case)
    stay.planned_move_out_on = data["planned_on"]
    stay.destination = data["destination"]
    db.session.flush()
    return stay


def move_out(case: Case, payload: Mapping[str, Any]) -> Stay:
    """The resident moved out: the flat is free from that day and the limit's deadlines are done."""
    data = MoveOutPayload().load(payload)
    stay = require_stay(case)
    stay.moved_out_on = data["moved_out_on"]
    stay.destination = data["destination"]
    occupancy.vacate(case.id, data["moved_out_on"])
    for deadline in _open_stay_deadlines(case.id):
        deadline.completed_at = utcnow()
    db.session.flush()
    return stay


def on_transitioned(tenant, case, transition, from_state, actor, payload) -> None:
    """ON_TRANSITIONED: the stay follows the case's moves (registered before the staircase's)."""
    if transition.name == "move_in":
        move_in(case, payload, settings_for(tenant, PLUGIN_ID))
    elif transition.name == "plan_move_out":
        plan_move_out(case, payload)
    elif transition.name == "move_out":
        move_out(case, payload)
    elif transition.name in ("decline", "withdraw"):
        occupancy.release_reservations(case.id, tenant_today(tenant))


# --- the limit ------------------------------------------------------------------------------------

def _resident_stays() -> list[Stay]:
    return list(db.session.scalars(
        sa.select(Stay).join(Case, Case.id == Stay.case_id)
        .where(Case.plugin == PLUGIN_ID, Case.state.in_(RESIDENT), Stay.limit_on.is_not(None),
               Stay.moved_out_on.is_(None))
        .order_by(Stay.limit_on, Stay.id)))


def raise_limit_warnings(tenant, settings: Mapping[str, Any], today: dt.date) -> int:
    """The daily job's part: for each resident and each of the settings' ``warning_days``, once
    `today` is that many days or fewer before the limit, a deadline "aftercare.stay_limit_<n>"
    due on the limit — and the limit itself as "aftercare.stay_limit". Each is raised once for a
    given limit (a re-run raises nothing twice; a limit moved by an extension is warned of anew).
    Returns how many deadlines it created."""
    created = 0
    for stay in _resident_stays():
        created += _ensure_limit_deadline(stay)
        existing = set(db.session.execute(sa.select(Deadline.kind).where(
            Deadline.case_id == stay.case_id, Deadline.due_on == stay.limit_on)).scalars())
        for days in sorted(set(settings["warning_days"]), reverse=True):
            kind = warning_kind(days)
            if today >= stay.limit_on - dt.timedelta(days=days) and kind not in existing:
                db.session.add(Deadline(case_id=stay.case_id, kind=kind, due_on=stay.limit_on))
                existing.add(kind)
                created += 1
    db.session.flush()
    return created


def move_limit(case: Case, new_limit: dt.date, decision_id: int, text: str) -> Stay:
    """Move the stay's limit (an extension decision, or its override): the limit's deadline moves
    with it, the warnings of the old limit are answered, and the journal records from and to."""
    stay = require_stay(case)
    if case.state not in RESIDENT or stay.limit_on is None:
        raise Conflict(f"case {case.id} is {case.state}: only a resident's limit can move")
    old = stay.limit_on
    stay.limit_on = new_limit
    for deadline in _open_stay_deadlines(case.id):
        if deadline.kind != LIMIT_KIND:
            deadline.completed_at = utcnow()
    _ensure_limit_deadline(stay)
    db.session.add(CaseEvent(case_id=case.id, kind=LIMIT_MOVED, text=text,
                             data={"from": old.isoformat(), "to": new_limit.isoformat(), "decision_id": decision_id}))
    db.session.flush()
    return stay


def limit_before(case_id: int, decision_id: int) -> dt.date | None:
    """The limit as it was before decision `decision_id` moved it (None: it did not)."""
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == LIMIT_MOVED)
                                .order_by(CaseEvent.id)).all()
    for entry in reversed(events):
        if (entry.data or {}).get("decision_id") == decision_id:
            return dt.date.fromisoformat(entry.data["from"])
    return None


# --- reading ---------------------------------------------------------------------------------------

def warnings_of(stay: Stay, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The limit's warnings, the earliest first, and the limit itself last: raised (a deadline
    exists for the current limit) or not yet, and done (answered by an extension or a move-out)."""
    if stay.limit_on is None:
        return []
    found = {d.kind: d for d in db.session.scalars(sa.select(Deadline).where(
        Deadline.case_id == stay.case_id, Deadline.due_on == stay.limit_on).order_by(Deadline.id))}
    kinds = [warning_kind(days) for days in sorted(set(settings["warning_days"]), reverse=True)] + [LIMIT_KIND]
    return [{"kind": kind, "due_on": stay.limit_on, "raised": kind in found,
             "completed": kind in found and found[kind].completed_at is not None} for kind in kinds]


def days_left(case: Case, stay: Stay | None, today: dt.date) -> int | None:
    """Days from `today` to a resident's limit (negative once it has passed); None for anyone else."""
    if stay is None or stay.limit_on is None or case.state not in RESIDENT:
        return None
    return (stay.limit_on - today).days


def stay_view(case: Case, stay: Stay, settings: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The stay as the API and the pages show it."""
    flat = db.session.get(Flat, stay.flat_id) if stay.flat_id else None
    application = application_data(case.id) or {}
    expected = application.get("expected_discharge_on")
    left = days_left(case, stay, today)
    return {
        **{column: getattr(stay, column) for column in (
            "id", "case_id", "institution", "treatment_started_on", "treatment_ended_on", "at_partner_institution",
            "home_municipality", "consent_on", "rules_agreed_on", "flat_id", "moved_in_on", "planned_move_out_on",
            "limit_on", "moved_out_on", "destination")},
        "state": case.state,
        "expected_discharge_on": dt.date.fromisoformat(expected) if expected else None,
        "partner_municipality": stay.home_municipality,
        "flat_label": flat.label if flat else None,
        "days_left": left,
        "limit_passed": left is not None and left < 0,
        "warnings": warnings_of(stay, settings),
    }


def stays_by_state(state: str | None) -> list[tuple[Case, Stay | None, Person]]:
    """The tenant's aftercare cases (applications and residents), with their stays and persons,
    by state (None: all), the open ones first, then by id."""
    stmt = (sa.select(Case, Stay, Person).join(Person, Person.id == Case.person_id)
            .outerjoin(Stay, Stay.case_id == Case.id).where(Case.plugin == PLUGIN_ID))
    if state:
        if state not in STATES:
            raise ValidationFailed(f"no state '{state}'", {"state": [f"one of: {', '.join(STATES)}"]})
        stmt = stmt.where(Case.state == state)
    stmt = stmt.order_by(Case.closed_at.is_not(None), Case.id)
    return [tuple(row) for row in db.session.execute(stmt).all()]

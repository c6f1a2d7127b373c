"""Filing a referral: the form's answers become the case's `Referral`, read by the eligibility
rule and the waiting list. Only while the case is still ``referred``: after that the intake
works from what was referred."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd.toolkit import Case, Conflict, FormSubmission, Person, Unit, ValidationFailed, db, get_owned

from .models import Referral

#: Who may refer, by unit kind, and under which act (guideline 1.4).
REFERRING_KINDS = {"child_welfare": "child_welfare_act", "nav_office": "health_and_care_services_act",
                   "health_and_care": "health_and_care_services_act"}


def referral_of(case_id: int) -> Referral | None:
    return db.session.scalar(sa.select(Referral).where(Referral.case_id == case_id))


def birth_date_of(case: Case) -> dt.date:
    """The youth's date of birth as read from the national id when the person was registered."""
    return get_owned(Person, case.person_id).birth_date


def referring_unit(unit_id: int | None, field: str) -> Unit:
    """A unit that may refer to DUE (child welfare, NAV, health and care), or 422 naming `field`."""
    unit = get_owned(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise ValidationFailed(f"{field} must name a unit of this municipality",
                               {field: [f"no unit {unit_id} here" if unit_id else "required"]})
    if unit.kind not in REFERRING_KINDS:
        raise ValidationFailed(f"{unit.name} cannot refer to DUE",
                               {field: [f"a {unit.kind} unit is not a referring unit; DUE takes referrals from "
                                        "child welfare, NAV and health-and-care units"]})
    return unit


def file_referral(case: Case | None, submission: FormSubmission) -> Referral:
    if case is None:
        raise ValidationFailed("a referral belongs to a DUE case: give case_id", {"case_id": ["required for a referral"]})
    if case.state != "referred":
        raise Conflict(f"case {case.id} is {case.state}; the referral can only change while the case is referred")
    data = submission.data
    unit = referring_unit(case.referring_unit_id, "referring_unit_id")
    expected = REFERRING_KINDS[unit.kind]
    if data["legal_basis"] != expected:
        raise ValidationFailed("the legal basis does not fit the referring unit",
                               {"legal_basis": [f"{unit.name} ({unit.kind}) refers under {expected}"]})
    birth = dt.date.fromisoformat(data["date_of_birth"]) if data.get("date_of_birth") else birth_date_of(case)
    referred_on = dt.date.fromisoformat(data["referred_on"])
    if birth >= referred_on:
        raise ValidationFailed("the youth's date of birth is not before the referral date",
                               {"referred_on": [f"{referred_on.isoformat()} is not after the birth date"]})
    fields = {
        "submission_id": submission.id, "referring_unit_id": unit.id, "legal_basis": data["legal_basis"],
        "criteria": list(data["criteria"]), "motivation": data["motivation"], "needs": list(data["needs"]),
        "referred_on": referred_on, "date_of_birth": birth, "transition": data.get("transition") or "none",
        "transition_on": dt.date.fromisoformat(data["transition_on"]) if data.get("transition_on") else None,
    }
    referral = referral_of(case.id)
    if referral is None:
        referral = Referral(case_id=case.id, **fields)
        db.session.add(referral)
    else:
        for name, value in fields.items():
            setattr(referral, name, value)
    db.session.flush()
    return referral


def case_of(submission: FormSubmission) -> Case | None:
    return get_owned(Case, submission.case_id) if submission.case_id is not None else None

"""A citizen's consent: what turns anonymous contacts into a person with a case — and its
withdrawal.

Participation is voluntary ("Som udgangspunkt er det frivilligt for borgerne, om de vil tage imod
tilbuddene fra kommunen"), so nothing identifying is recorded until the citizen says yes. Then
(`give`): the person — registered with a CPR number (the core validates it for Denmark; a number
already registered is the core's 409 with the person's id) or already registered, by id — a case
of the plugin (workflow ``dropin_citizen``; a closed one of theirs is reopened rather than a second
opened), and a consent record: the day it was given, its scope (with whom what is recorded may be
shared: `SCOPES`), who recorded it. Every anonymous contact with the citizen's code becomes the
case's, and the code stays the person's: a later contact with it is linked while the consent is in
force. A code already another person's is a 409; so is a second consent while one is in force.

Withdrawal (`withdraw`) is dated, with the reason, never a deletion:

- it is written in the case's journal (and the audit trail);
- the case is closed (the move ``close`` with the reason ``consent_withdrawn``): without consent
  the municipality has no ground to keep following the citizen through the centre — but what was
  recorded stays (the municipality's records are kept, notatpligt), and the contacts linked before
  stay the case's;
- after it no new contact is linked to the person: one given with their ``person_id`` is a 409
  saying consent was withdrawn on that day; one with their code is kept anonymous. A new consent
  (`give` again) reopens the same case;
- a statutory meeting is not voluntary ("Der kan dog være møder, hvor borgeren har lovmæssig pligt
  til at møde op"), and is not this part's: the meetings part decides what it needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    CaseEvent,
    Conflict,
    Person,
    ValidationFailed,
    audit,
    current_tenant,
    current_user,
    db,
    get_owned,
    open_case,
    register_person,
    require_owned,
    tenant_today,
    transition_case,
)

from . import citizen_code, workflow
from .contact_models import Consent, Contact
from .manifest import PLUGIN_ID
from .markers import N_

#: With whom what is recorded may be shared — the parties of the outreach model: the
#: caseworkers "fra jobcenteret, socialforvaltningen og ydelseskontoret", the substance-abuse
#: service, and the centre's staff.
SCOPES: dict[str, str] = {
    "jobcentre": N_("The jobcentre"),
    "social_administration": N_("The social administration"),
    "benefits_office": N_("The benefits office"),
    "substance_abuse_service": N_("The substance-abuse service"),
    "centre_staff": N_("The centre's staff"),
}
GIVEN, WITHDRAWN = "dropin_consent_given", "dropin_consent_withdrawn"
CONSENT_FIELDS = ("person_id", "case_id", "given_on", "scope", "citizen_code", "recorded_by_id", "withdrawn_on",
                  "withdrawal_reason", "withdrawn_by_id")


# --- reading --------------------------------------------------------------------------------------

def consent(consent_id: int) -> Consent:
    return require_owned(Consent, consent_id, "consent")


def in_force_for(person_id: int) -> Consent | None:
    """The person's consent in force (not withdrawn), if any."""
    return db.session.scalar(sa.select(Consent).where(Consent.person_id == person_id,
                                                      Consent.withdrawn_on.is_(None)).order_by(Consent.id.desc()))


def latest_for(person_id: int) -> Consent | None:
    return db.session.scalar(sa.select(Consent).where(Consent.person_id == person_id).order_by(Consent.id.desc()))


def of_case(case_id: int) -> list[Consent]:
    """The case's consents, the latest first."""
    return list(db.session.scalars(sa.select(Consent).where(Consent.case_id == case_id)
                                   .order_by(Consent.given_on.desc(), Consent.id.desc())))


def no_consent_reason(person_id: int) -> str:
    """Why a contact cannot be linked to the person (the 409's message)."""
    latest = latest_for(person_id)
    if latest is not None and latest.withdrawn_on is not None:
        return (f"the citizen withdrew their consent on {latest.withdrawn_on.isoformat()}; "
                "no contact is linked to them until they consent again")
    return "the citizen has not consented; record the contact anonymously or record their consent first"


def linked_count(found: Consent) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contact)
                             .where(Contact.case_id == found.case_id)) or 0


def consent_body(found: Consent) -> dict[str, Any]:
    return {"id": found.id, **{name: getattr(found, name) for name in CONSENT_FIELDS},
            "in_force": found.withdrawn_on is None, "linked_contacts": linked_count(found)}


# --- the rules ------------------------------------------------------------------------------------

def _person(data: Mapping[str, Any]) -> Person:
    """The person consenting: by id, or registered now with a CPR number (exactly one of them)."""
    if data.get("person_id") is not None:
        found = get_owned(Person, data["person_id"])
        if found is None:
            raise ValidationFailed("no such person", {"person_id": [f"no person {data['person_id']} here"]})
        return found
    return register_person(current_tenant(), data["national_id"], data["given_name"], data["family_name"])


def _check_code(code: str | None, person_id: int | None) -> None:
    owner = citizen_code.person_of_code(code)
    if owner is not None and owner != person_id:
        raise Conflict("the citizen code is already another person's; choose another code",
                       {"citizen_code": ["already another person's"]})


def _check_day(field: str, on: dt.date, not_before: dt.date | None = None) -> None:
    if on > tenant_today(current_tenant()):
        raise ValidationFailed(f"{field} is in the future", {field: ["is in the future"]})
    if not_before is not None and on < not_before:
        raise ValidationFailed(f"{field} is before the consent was given",
                               {field: [f"must not be before {not_before.isoformat()}"]})


def _case_for(person: Person) -> Case | None:
    """The person's latest dropin case (open or closed), if any."""
    return db.session.scalar(sa.select(Case).where(Case.person_id == person.id, Case.plugin == PLUGIN_ID)
                             .order_by(Case.id.desc()))


def _journal(case_id: int, kind: str, text: str, data: dict) -> None:
    user = current_user()
    db.session.add(CaseEvent(case_id=case_id, kind=kind, text=text, data=data, actor_id=user.id if user else None))


# --- writing --------------------------------------------------------------------------------------

def give(data: Mapping[str, Any]) -> Consent:
    """Record a consent (the schema `contact_schemas.ConsentInput` has loaded `data`)."""
    tenant = current_tenant()
    code = citizen_code.normalised(data.get("citizen_code"))
    _check_day("given_on", data["given_on"])
    _check_code(code, data.get("person_id"))  # before a new person is registered: a new one owns no code
    person = _person(data)
    if (current := in_force_for(person.id)) is not None:
        raise Conflict(f"the citizen's consent of {current.given_on.isoformat()} is in force already",
                       {"person_id": [f"consent {current.id} is in force"]})
    case = _case_for(person) or open_case(tenant, PLUGIN_ID, person.id)
    user = current_user()
    created = Consent(person_id=person.id, case_id=case.id, given_on=data["given_on"],
                      scope=list(dict.fromkeys(data["scope"])), citizen_code=code,
                      recorded_by_id=user.id if user else None)
    db.session.add(created)
    db.session.flush()
    if case.state == workflow.CLOSED:
        transition_case(tenant, case, workflow.REOPEN, {}, "The citizen consented again.")
    linked = 0
    if code:
        for found in db.session.scalars(sa.select(Contact).where(Contact.citizen_code == code,
                                                                 Contact.person_id.is_(None))):
            found.person_id, found.case_id = person.id, case.id
            linked += 1
    _journal(case.id, GIVEN, f"Consent given on {created.given_on.isoformat()}; may be shared with: "
                             f"{', '.join(created.scope)}; {linked} earlier contact(s) linked.",
             {"consent_id": created.id, "scope": created.scope, "linked": linked})
    audit.record("dropin.consent.given", "dropin_consent", created.id, person_id=person.id,
                 details={"case_id": case.id, "linked": linked})
    db.session.flush()
    return created


def withdraw(found: Consent, data: Mapping[str, Any]) -> Consent:
    """Record the withdrawal (the schema `contact_schemas.WithdrawalInput` has loaded `data`) and
    close the case (see the module's docstring for why and what stays)."""
    if found.withdrawn_on is not None:
        raise Conflict(f"the consent was withdrawn on {found.withdrawn_on.isoformat()} already",
                       {"withdrawn_on": [found.withdrawn_on.isoformat()]})
    _check_day("withdrawn_on", data["withdrawn_on"], found.given_on)
    reason = data["reason"].strip()
    if not reason:
        raise ValidationFailed("a withdrawal is recorded with the citizen's reason", {"reason": ["is empty"]})
    user = current_user()
    found.withdrawn_on, found.withdrawal_reason = data["withdrawn_on"], reason
    found.withdrawn_by_id = user.id if user else None
    db.session.flush()
    _journal(found.case_id, WITHDRAWN, f"Consent withdrawn on {found.withdrawn_on.isoformat()}: "
                                       f"{found.withdrawal_reason}", {"consent_id": found.id})
    audit.record("dropin.consent.withdrawn", "dropin_consent", found.id, person_id=found.person_id,
                 details={"case_id": found.case_id})
    case = get_owned(Case, found.case_id)
    if case is not None and case.state == workflow.IN_CONTACT:
        transition_case(current_tenant(), case, workflow.CLOSE, {"reason": workflow.CONSENT_WITHDRAWN},
                        "The citizen withdrew their consent.")
    db.session.flush()
    return found

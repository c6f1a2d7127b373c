"""Contacts at the drop-in centres: recorded anonymously by default, in the worker's role, with
what the evaluation needs — and the evaluation's count of the citizens reached.

From the seed's guide (Socialstyrelsen/KORA, ../shared/seeds/003_dbb2a96da9dea517.txt):

- the help given is one or more of the eight kinds the guide lists (`HELP_KINDS`): "Råd og
  vejledning i forhold til støttemuligheder fra kommunen · Udarbejdelse af handleplaner og
  tildeling af ydelser · Hjælp til at udfylde skemaer og andre administrative opgaver · Hjælp til
  at overskue privatøkonomien · Ledsagelse til møder i kommunen eller lignende instanser · Råd og
  vejledning i forhold til deres generelle sundhed og misbrug · Hjælp til at komme i
  misbrugsbehandling · Støtte til at mestre eget liv f.eks. fastholde bolig, administrere egen
  økonomi m.v.";
- participation is voluntary — "Som udgangspunkt er det frivilligt for borgerne, om de vil tage
  imod tilbuddene fra kommunen" — so a contact needs no person: it is anonymous unless the
  citizen has consented (`consent`);
- every contact says in what role the worker acted (`WORKER_ROLES`), because "Brugerne må ikke
  være i tvivl om, hvem de taler med på et værested om det er en medarbejder på værestedet eller
  en fremskudt medarbejder med en myndighedsopgave". Authority is the outreach caseworkers':
  "De fremskudte sagsbehandlere har en myndighedsfunktion" — so a contact in the role
  "municipal_authority" is one of the service "case_processing", recorded by a user who holds
  `AUTHORITY_PERMISSION` (a user with only the centre-staff role gets a 403 naming worker_role).
  A municipal worker without that authority (the substance-abuse worker, a municipal SKP) acts
  as "municipal_worker"; the centre's staff act for the centre or as the SKP it staffs;
- for the evaluation each contact records whether the citizen was known to the municipality
  before ("Man får fat i borgere, som man ikke havde kendskab til i forvejen"; "borgere, der ikke
  tidligere [...] har benyttet de eksisterende tilbud") and whether it is the first contact
  ("Kommunen kommer tidligere i kontakt med borgerne"): yes, no or unknown.

A contact's note holds no identifying data (a CPR number in it is refused, naming note); the
citizen code is a pseudonym (`citizen_code`). A contact is linked to a person only while that
person's consent is in force: given ``person_id`` (409 otherwise, saying why), or a code that
belongs to a consenting person. After a withdrawal a contact with the person's code stays
anonymous: the citizen can still come to the centre, the municipality just records nothing more
about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Conflict,
    Forbidden,
    Person,
    ValidationFailed,
    current_tenant,
    current_user,
    db,
    get_owned,
    has_permission,
    require_owned,
    tenant_today,
)

from . import centres, citizen_code, consent
from .contact_models import Contact
from .markers import N_
from .services import CASE_PROCESSING, CENTRE, SERVICE_TITLES, SKP

# --- the vocabulary (English titles; the pages translate them) ----------------------------------

HELP_KINDS: dict[str, str] = {
    "municipal_support_advice": N_("Advice on support from the municipality"),
    "action_plans_benefits": N_("Action plans and granting of benefits"),
    "forms_paperwork": N_("Help with forms and other paperwork"),
    "personal_finances": N_("Overview of personal finances"),
    "escort_to_meetings": N_("Escort to meetings"),
    "health_substance_advice": N_("Advice on health and substance use"),
    "into_treatment": N_("Help into substance-abuse treatment"),
    "daily_living_support": N_("Support to manage daily life (keep a home, manage money)"),
}
#: the service the worker came from, by its title
SERVICES: dict[str, str] = SERVICE_TITLES
CENTRE_STAFF, MUNICIPAL_WORKER, MUNICIPAL_AUTHORITY = "centre_staff", "municipal_worker", "municipal_authority"
WORKER_ROLES: dict[str, str] = {
    CENTRE_STAFF: N_("Centre staff"),
    MUNICIPAL_WORKER: N_("Municipal worker (no authority to decide)"),
    MUNICIPAL_AUTHORITY: N_("Municipal worker with authority"),
}
YES, NO, UNKNOWN = "yes", "no", "unknown"
ANSWERS: dict[str, str] = {YES: N_("Yes"), NO: N_("No"), UNKNOWN: N_("Unknown")}

#: Who may act as a municipal worker with authority: the permission to take decisions, which the
#: outreach workers and the coordinator hold and the centre staff do not (the manifest has no
#: permission of its own for authority).
AUTHORITY_PERMISSION = "decisions:evaluate"
AUTHORITY_SERVICE = CASE_PROCESSING
#: Who may act as a municipal worker at all (the substance-abuse worker, a municipal SKP): the
#: outreach roles and the coordinator, who work cases; the centre's staff do not.
MUNICIPAL_PERMISSION = "cases:write"
#: the centre's own staff act for the centre, or as the SKP when the centre staffs it
CENTRE_STAFF_SERVICES = (CENTRE, SKP)

CONTACT_FIELDS = ("centre_id", "contact_on", "contact_at", "help", "service", "worker_role", "previously_known",
                  "first_contact", "citizen_code", "note", "person_id", "case_id", "recorded_by_id")
LIST_LIMIT = 200


# --- reading --------------------------------------------------------------------------------------

def contact(contact_id: int) -> Contact:
    """A contact of the tenant in scope (404 otherwise, another municipality's too)."""
    return require_owned(Contact, contact_id, "contact")


def contacts(centre_id: int | None = None, start: dt.date | None = None, end: dt.date | None = None,
             code: str | None = None, case_id: int | None = None, limit: int = LIST_LIMIT) -> list[Contact]:
    """Contacts, the latest first, filtered by centre, days (inclusive), citizen code or case."""
    query = sa.select(Contact).order_by(Contact.contact_on.desc(), Contact.contact_at.desc(), Contact.id.desc())
    if centre_id is not None:
        query = query.where(Contact.centre_id == centre_id)
    if start is not None:
        query = query.where(Contact.contact_on >= start)
    if end is not None:
        query = query.where(Contact.contact_on <= end)
    if code:
        query = query.where(Contact.citizen_code == citizen_code.normalised(code))
    if case_id is not None:
        query = query.where(Contact.case_id == case_id)
    return list(db.session.scalars(query.limit(limit)))


def contact_body(found: Contact) -> dict[str, Any]:
    """A contact as the API shows it, with the worker's role in words (English) beside its value."""
    return {"id": found.id, **{name: getattr(found, name) for name in CONTACT_FIELDS},
            "anonymous": found.person_id is None, "worker_role_title": WORKER_ROLES[found.worker_role],
            "created_at": found.created_at}


# --- the rules ------------------------------------------------------------------------------------

def _check_role(data: Mapping[str, Any]) -> None:
    """The role must be the worker's and fit the service: authority is the outreach caseworkers'
    (see the module's docstring); a municipal worker is the municipality's, not the centre's; the
    centre's staff act for the centre or as the SKP it staffs."""
    role, service = data["worker_role"], data["service"]
    if role == CENTRE_STAFF:
        if service not in CENTRE_STAFF_SERVICES:
            raise ValidationFailed("the centre's staff act for the centre or as its SKP",
                                   {"worker_role": [f"centre staff work in the service '{CENTRE}' or '{SKP}'"]})
    elif role == MUNICIPAL_WORKER:
        if not has_permission(MUNICIPAL_PERMISSION):
            raise Forbidden("only the municipality's workers may record a contact in that role",
                            {"worker_role": ["you may record contacts as centre staff only"]})
        if service == CENTRE:
            raise ValidationFailed("a municipal worker is not the centre's staff",
                                   {"worker_role": ["a municipal worker comes from one of the municipality's services"]})
    else:
        if not has_permission(AUTHORITY_PERMISSION):
            raise Forbidden("only a municipal worker with authority may record a contact in that role",
                            {"worker_role": ["you may record contacts as centre staff only"]})
        if service != AUTHORITY_SERVICE:
            raise ValidationFailed("a municipal worker with authority is an outreach caseworker",
                                   {"worker_role": [f"authority goes with the service '{AUTHORITY_SERVICE}'"]})


def _check_day(on: dt.date) -> None:
    if on > tenant_today(current_tenant()):
        raise ValidationFailed("a contact is recorded when it has happened", {"contact_on": ["is in the future"]})


def _check_first_contact(data: Mapping[str, Any], code: str | None) -> None:
    """A citizen code with an earlier contact cannot be at its first contact."""
    if data.get("first_contact") != YES or not code:
        return
    earlier = db.session.scalar(sa.select(sa.func.min(Contact.contact_on)).where(
        Contact.citizen_code == code, Contact.contact_on < data["contact_on"]))
    if earlier is not None:
        raise ValidationFailed("the citizen code has an earlier contact",
                               {"first_contact": [f"the code has a contact on {earlier.isoformat()} already"]})


def _person_and_case(person_id: int | None, code: str | None) -> tuple[int | None, int | None]:
    """Whom the contact is linked to: the person given (their consent must be in force: 409
    saying why otherwise), else the person the code belongs to while their consent is in force,
    else nobody (anonymous)."""
    if person_id is not None:
        if get_owned(Person, person_id) is None:
            raise ValidationFailed("no such person", {"person_id": [f"no person {person_id} in this municipality"]})
        owner = citizen_code.person_of_code(code)
        if owner is not None and owner != person_id:
            raise Conflict("the citizen code belongs to another person",
                           {"citizen_code": ["belongs to another person's contacts"]})
        found = consent.in_force_for(person_id)
        if found is None:
            raise Conflict(consent.no_consent_reason(person_id), {"person_id": [consent.no_consent_reason(person_id)]})
        return person_id, found.case_id
    owner = citizen_code.person_of_code(code)
    found = consent.in_force_for(owner) if owner is not None else None
    return (owner, found.case_id) if found is not None else (None, None)


# --- writing --------------------------------------------------------------------------------------

def record_contact(data: Mapping[str, Any]) -> Contact:
    """Record a contact (the schema `contact_schemas.ContactInput` has loaded `data`)."""
    centre = centres.centre(data["centre_id"])
    _check_role(data)
    _check_day(data["contact_on"])
    code = citizen_code.normalised(data.get("citizen_code"))
    citizen_code.refuse_cpr_in_text("note", data.get("note"))
    _check_first_contact(data, code)
    person_id, case_id = _person_and_case(data.get("person_id"), code)
    user = current_user()
    created = Contact(
        centre_id=centre.id, contact_on=data["contact_on"], contact_at=data.get("contact_at"),
        help=list(dict.fromkeys(data["help"])), service=data["service"], worker_role=data["worker_role"],
        previously_known=data.get("previously_known", UNKNOWN), first_contact=data.get("first_contact", UNKNOWN),
        citizen_code=code, note=(data.get("note") or "").strip() or None, person_id=person_id, case_id=case_id,
        recorded_by_id=user.id if user else None)
    db.session.add(created)
    db.session.flush()
    return created


# --- the evaluation -------------------------------------------------------------------------------

def citizens_reached(start: dt.date, end: dt.date, centre_id: int | None = None,
                     service: str | None = None) -> dict[str, int]:
    """The contacts from `start` to `end` (both included) at a centre or all, of a service or all,
    and the citizens they reached, each counted exactly once:

    - ``contacts``: the contacts;
    - ``citizens``: distinct citizens — a consented person once (with every contact linked to them
      and every contact with a code of theirs, even one recorded anonymously after a withdrawal),
      a citizen code not belonging to a person once, and each contact with neither person nor code
      as one citizen of its own (an anonymous visitor cannot be told apart, so may be counted more
      than once: the figure is an upper bound for those); ``persons``, ``codes`` and ``uncoded``
      are the three parts;
    - ``previously_unknown``: the citizens (counted as above) with at least one contact in the
      period recorded as not known to the municipality before;
    - ``first_contacts``: the contacts recorded as the citizen's first contact.
    """
    query = sa.select(Contact.id, Contact.person_id, Contact.citizen_code, Contact.previously_known,
                      Contact.first_contact).where(Contact.contact_on >= start, Contact.contact_on <= end)
    if centre_id is not None:
        query = query.where(Contact.centre_id == centre_id)
    if service is not None:
        query = query.where(Contact.service == service)
    owned = citizen_code.codes_of_persons()
    citizens: set[tuple[str, Any]] = set()
    unknown: set[tuple[str, Any]] = set()
    contacts_count = first = 0
    for contact_id, person_id, code, known, first_contact in db.session.execute(query):
        contacts_count += 1
        person_id = person_id if person_id is not None else owned.get(code) if code else None
        key = ("person", person_id) if person_id is not None else ("code", code) if code else ("uncoded", contact_id)
        citizens.add(key)
        if known == NO:
            unknown.add(key)
        if first_contact == YES:
            first += 1
    return {"contacts": contacts_count, "citizens": len(citizens),
            "persons": sum(kind == "person" for kind, _ in citizens),
            "codes": sum(kind == "code" for kind, _ in citizens),
            "uncoded": sum(kind == "uncoded" for kind, _ in citizens),
            "previously_unknown": len(unknown), "first_contacts": first}

"""Registering, finding, reading and correcting citizens. Every read of a person is audited:
`read_person` records its own row; a list a GET shows is audited by velferd.read_audit, and one a
POST shows (the web's search, so a typed national id stays out of URLs) by `record_listed`.

A person is corrected (GDPR art. 16), not edited: `correct_person` keeps a `PersonCorrection` per
changed field with the reason and who changed it. Persons are never deleted here: they are
retired through the retention rules. A new or corrected person whose name and birth date match
another is flagged for review (velferd.duplicates), never merged by the machine."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from velferd import audit, duplicates
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed
from velferd.identity import InvalidIdentifier, NationalId, parse_national_id
from velferd.models import AuditEvent, Person, Tenant
from velferd.corrections import corrections_of, record_correction  # noqa: F401  (corrections_of: people's API)
from velferd.models.people import PersonCorrection
from velferd.tenancy import current_tenant_id, get_owned

#: what a caseworker may correct; birth date and the kind of national id follow the national id
CORRECTABLE = ("given_name", "family_name", "phone", "email", "address", "national_id")
#: the columns a match of possible duplicates compares (velferd.duplicates)
MATCHED = frozenset({"given_name", "family_name", "birth_date"})


def parsed_national_id(tenant: Tenant, typed: str) -> NationalId:
    """A national id as typed (spaces, dashes), valid for the tenant's country, or a 422
    naming ``national_id`` (the message shows the number masked)."""
    try:
        return parse_national_id(typed, tenant.country)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), {"national_id": [str(error)]}) from None


def holder_of_national_id(number: str) -> int | None:
    """The id of the tenant's person registered with this (compact) national id, if any.

    Asked of the core table (``Person.__table__``) with an explicit filter on the current
    tenant, not through the ORM: the ORM's criteria may hide persons outside the caller's need to
    know (velferd.need_to_know), and a number must be unique in the whole municipality whoever
    registers or corrects it — else a second record of one citizen would be created unseen."""
    table = Person.__table__
    return db.session.scalar(sa.select(table.c.id).where(
        table.c.tenant_id == current_tenant_id(), table.c.national_id == number))


def _refuse_taken_national_id(number: str, person_id: int | None = None) -> None:
    existing = holder_of_national_id(number)
    if existing is not None and existing != person_id:
        raise Conflict(f"a person with this national id is already registered (id {existing})", {"person_id": existing})


def register(tenant: Tenant, national_id: str, given_name: str, family_name: str,
             **contact: str | None) -> tuple[Person, list[int]]:
    """`register_person`, and the ids of the persons its name and birth date matched (flagged
    as possible duplicates; the person is created all the same)."""
    parsed = parsed_national_id(tenant, national_id)
    _refuse_taken_national_id(parsed.number)
    person = Person(
        national_id=parsed.number, national_id_kind=parsed.kind, birth_date=parsed.birth_date,
        given_name=given_name, family_name=family_name, **contact,
    )
    db.session.add(person)
    db.session.flush()
    audit.record("person.created", "person", person.id, person_id=person.id)
    return person, [flag.candidate_id for flag in duplicates.flag_matches(person)]


def register_person(tenant: Tenant, national_id: str, given_name: str, family_name: str,
                    **contact: str | None) -> Person:
    """Validate the national id for the tenant's country and store the person once per tenant
    (a match by name and birth date is flagged: `register`)."""
    return register(tenant, national_id, given_name, family_name, **contact)[0]


def correct_person(tenant: Tenant, person_id: int, changes: dict[str, Any],
                   reason: str) -> tuple[Person, list[PersonCorrection], list[int]]:
    """Correct the fields in `changes` (any of `CORRECTABLE`), keeping one `PersonCorrection`
    per changed field — birth date and kind included when a new national id changes them — and
    one ``person.corrected`` audit row naming the fields (not their values). A national id may
    change (a D-number becomes a fødselsnummer, a typo) only to a valid one for the tenant's
    country that no other person of the tenant has. Everything is checked before anything is
    written. Returns the person, the corrections and the persons a new match flagged."""
    person = get_owned(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    if person.merged_into_id is not None:
        raise Conflict(f"person {person.id} was merged into person {person.merged_into_id}: correct that one",
                       {"merged_into_id": person.merged_into_id})
    wanted = {name: changes[name] for name in CORRECTABLE if name in changes and name != "national_id"}
    if "national_id" in changes:
        parsed = parsed_national_id(tenant, changes["national_id"])
        if parsed.number != person.national_id:
            _refuse_taken_national_id(parsed.number, person.id)
            wanted.update(national_id=parsed.number, national_id_kind=parsed.kind, birth_date=parsed.birth_date)
    changed = {name: value for name, value in wanted.items() if getattr(person, name) != value}
    corrections = [record_correction(person, name, getattr(person, name), value, reason)
                   for name, value in changed.items()]
    if not changed:
        return person, [], []
    for name, value in changed.items():
        setattr(person, name, value)
    db.session.flush()
    audit.record("person.corrected", "person", person.id, person_id=person.id,
                 details={"fields": sorted(changed)})
    flagged = duplicates.flag_matches(person) if MATCHED & changed.keys() else []
    return person, corrections, [flag.candidate_id for flag in flagged]




def read_person(person_id: int) -> Person:
    person = get_owned(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    audit.record("person.read", "person", person.id, person_id=person.id)
    return person



def search_persons(*, limit: int, after_id: int = 0, name: str | None = None,
                   national_id_number: str | None = None) -> list[Person]:
    """A page of the tenant's persons in id order: `name` matches part of the given or the
    family name in any case; `national_id_number` (compact digits) only the whole number — a
    part of a national id finds no one, so the search cannot be used to list birth dates."""
    stmt = sa.select(Person).where(Person.id > after_id).order_by(Person.id).limit(limit)
    if name:
        pattern = f"%{name}%"
        stmt = stmt.where(sa.or_(Person.given_name.ilike(pattern), Person.family_name.ilike(pattern)))
    if national_id_number:
        stmt = stmt.where(Person.national_id == national_id_number)
    return list(db.session.scalars(stmt))


def record_listed(persons: list[Person], view: str) -> None:
    """One ``person.listed`` row per person a POST showed (velferd.read_audit sees only GETs)."""
    for person in persons:
        audit.record("person.listed", "person", None, person_id=person.id,
                     details={"view": view, "records": {"person": [person.id]}})


def access_log(person_id: int) -> list[AuditEvent]:
    """Everything done with or seen of this person's records, newest first: for the auditor and
    for the citizen's right of access (GDPR art. 15). 404 for a person of no record here."""
    if get_owned(Person, person_id) is None:
        raise NotFound(f"no person {person_id}")
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.person_id == person_id).order_by(AuditEvent.id.desc())))

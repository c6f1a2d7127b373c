"""Registering, finding and reading citizens. Every read of a person is audited: `read_person`
records its own row; a list a GET shows is audited by velferd.read_audit, and one a POST shows
(the web's search, so a typed national id stays out of URLs) by `record_listed`."""

from __future__ import annotations

import sqlalchemy as sa

from velferd import audit
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed
from velferd.identity import InvalidIdentifier, NationalId, parse_national_id
from velferd.models import AuditEvent, Person, Tenant
from velferd.tenancy import get_owned


def parsed_national_id(tenant: Tenant, typed: str) -> NationalId:
    """A national id as typed (spaces, dashes), valid for the tenant's country, or a 422
    naming ``national_id`` (the message shows the number masked)."""
    try:
        return parse_national_id(typed, tenant.country)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), {"national_id": [str(error)]}) from None


def register_person(tenant: Tenant, national_id: str, given_name: str, family_name: str) -> Person:
    """Validate the national id for the tenant's country and store the person once per tenant."""
    parsed = parsed_national_id(tenant, national_id)
    existing = db.session.scalar(sa.select(Person.id).where(Person.national_id == parsed.number))
    if existing is not None:
        raise Conflict(f"a person with this national id is already registered (id {existing})", {"person_id": existing})
    person = Person(
        national_id=parsed.number, national_id_kind=parsed.kind, birth_date=parsed.birth_date,
        given_name=given_name, family_name=family_name,
    )
    db.session.add(person)
    db.session.flush()
    audit.record("person.created", "person", person.id, person_id=person.id)
    return person


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

"""Registering and reading citizens. Every read of a person is audited."""

from __future__ import annotations

import sqlalchemy as sa

from velferd import audit
from velferd.db import db
from velferd.errors import Conflict, NotFound, ValidationFailed
from velferd.identity import InvalidIdentifier, parse_national_id
from velferd.models import Person, Tenant
from velferd.tenancy import get_owned


def register_person(tenant: Tenant, national_id: str, given_name: str, family_name: str) -> Person:
    """Validate the national id for the tenant's country and store the person once per tenant."""
    try:
        parsed = parse_national_id(national_id, tenant.country)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), {"national_id": [str(error)]}) from None
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


"""Creating municipalities, their units and their staff."""

from __future__ import annotations

import re
from typing import Any, Iterable

import sqlalchemy as sa

from velferd import accounts, audit
from velferd.db import db
from velferd.errors import Conflict, ValidationFailed
from velferd.identity import InvalidIdentifier, validate_organisation_number
from velferd.models import Membership, Tenant, Unit, User
from velferd.models.tenants import COUNTRY_DEFAULTS
from velferd.passwords import check_strength, hash_password
from velferd.plugins.manager import registry


def _organisation_number(value: str | None, country: str, field: str = "organisation_number") -> str | None:
    if value in (None, ""):
        return None
    try:
        return validate_organisation_number(value, country)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), {field: [str(error)]}) from None


#: The slug is the tenant's part of every URL (the API's TenantSchema checks the same pattern).
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def create_tenant(slug: str, name: str, country: str, organisation_number: str) -> Tenant:
    """Checked here, not only in the API schema, so the CLI and the demo get the same 4xx answers."""
    if not SLUG.match(slug):
        raise ValidationFailed(f"the slug '{slug}' cannot be used in URLs", {"slug": [
            "Use 2-63 lower-case letters, digits and dashes, starting with a letter or digit."]})
    if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise Conflict(f"a tenant with the slug '{slug}' exists already", {"slug": ["Already taken."]})
    number = _organisation_number(organisation_number, country)
    if number is None:
        raise ValidationFailed("a tenant needs an organisation number", {"organisation_number": ["Required."]})
    if db.session.scalar(sa.select(Tenant.id).where(Tenant.organisation_number == number)) is not None:
        raise Conflict(f"a tenant with the organisation number {number} exists already",
                       {"organisation_number": ["Already registered."]})
    tenant = Tenant(
        slug=slug, name=name, country=country, organisation_number=number, **COUNTRY_DEFAULTS[country],
    )
    db.session.add(tenant)
    db.session.flush()
    return tenant


def create_user(email: str, name: str, password: str | None = None, is_operator: bool = False) -> User:
    """An account made by the operator (CLI, demo seed, tests); tenant admins invite instead
    (velferd.invitations). A password given is checked for strength (422 naming ``password``)."""
    if password is not None:
        check_strength(password, "password", [email, name])
    password_hash = hash_password(password) if password else None
    if is_operator:
        return accounts.create_operator(email, name, password_hash)
    return accounts.create_user(email, name, password_hash)


def check_roles(roles: Iterable[str]) -> list[str]:
    known = registry().roles
    unknown = sorted(set(roles) - known.keys())
    if unknown:
        raise ValidationFailed(f"unknown roles: {', '.join(unknown)}", {"roles": [f"Known roles: {', '.join(sorted(known))}."]})
    return sorted(set(roles))


def add_member(user: User, roles: Iterable[str]) -> Membership:
    """Give `user` roles in the tenant in scope (replacing earlier roles there)."""
    roles = check_roles(roles)
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    if membership is not None and membership.roles == roles:
        return membership
    if membership is None:
        membership = Membership(user_id=user.id, roles=roles)
        db.session.add(membership)
    else:
        membership.roles = roles
    db.session.flush()
    audit.record("member.roles_set", "membership", membership.id, details={"user_id": user.id, "roles": roles})
    return membership


def set_member_work(membership: Membership, unit_ids: Iterable[int], programmes: Iterable[str]) -> Membership:
    """Where the member works: their units and programmes (plugin ids; none: every programme),
    which decide the cases they may know of (velferd.need_to_know). 422 naming the field for a
    unit this municipality does not have or a programme no installed plugin runs."""
    unit_ids, programmes = sorted(set(unit_ids)), sorted(set(programmes))
    errors: dict[str, list[str]] = {}
    known_units = set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(unit_ids)))) if unit_ids else set()
    if missing := [u for u in unit_ids if u not in known_units]:
        errors["unit_ids"] = [f"no unit {u} in this municipality" for u in missing]
    if unknown := [p for p in programmes if p not in registry().manifests]:
        errors["programmes"] = [f"no programme '{p}' is installed" for p in unknown]
    if errors:
        raise ValidationFailed("the member's units and programmes must exist here", errors)
    membership.unit_ids, membership.programmes = unit_ids, programmes
    db.session.flush()
    audit.record("member.work_set", "membership", membership.id,
                 details={"user_id": membership.user_id, "unit_ids": unit_ids, "programmes": programmes})
    return membership


def list_units() -> list[Unit]:
    """The municipality's units (offices, services, payers) by name: the API's list and the
    referring units a page offers when a case is opened."""
    return list(db.session.scalars(sa.select(Unit).order_by(Unit.name)))


def save_unit(tenant: Tenant, data: dict[str, Any], unit: Unit | None = None) -> Unit:
    country = data.get("country") or tenant.country
    data = {**data, "organisation_number": _organisation_number(data.get("organisation_number"), country)}
    if data.get("ehf_endpoint") is not None:
        data["ehf_endpoint"] = _organisation_number(data["ehf_endpoint"], country, "ehf_endpoint")
    if db.session.scalar(sa.select(Unit.id).where(Unit.name == data["name"], Unit.id != (unit.id if unit else -1))):
        raise Conflict(f"a unit named '{data['name']}' exists already", {"name": ["Already used."]})
    unit = unit or Unit()
    for key, value in data.items():
        setattr(unit, key, value)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.saved", "unit", unit.id)
    return unit

"""The demo data set: four municipalities, their staff and synthetic citizens.

Every national id here is synthetic (Norwegian: birth month + 80; Danish: generated, never a
looked-up person), generated from a fixed seed so the demo is the same on every machine.
Norwegian organisation numbers are the municipalities' public register numbers; the Danish one
is generated with a valid CVR check digit.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa

from velferd import people, tenants
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.models import Person, Tenant, Unit, User
from velferd.tenancy import tenant_scope

DEMO_PASSWORD = "velferd-demo-2026"
OPERATOR_EMAIL = "operator@velferd.demo"
ROLES = ("tenant_admin", "caseworker", "coordinator", "leader", "finance", "auditor")

GIVEN = {"NO": ["Ola", "Kari", "Nora", "Emil", "Sara", "Jonas", "Ingrid", "Aksel", "Maja", "Tobias"],
         "DK": ["Mads", "Freja", "Oliver", "Ida", "William", "Emma", "Noah", "Clara", "Lucas", "Alma"]}
FAMILY = {"NO": ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"],
          "DK": ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"]}


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    country: str
    organisation_number: str
    units: tuple[tuple[str, str, str | None], ...]


TENANTS = (
    DemoTenant("bergen", "Bergen kommune", "NO", "964338531", (
        ("Barneverntjenesten Årstad", "child_welfare", "internal"),
        ("NAV Bergenhus", "nav_office", "external"),
        ("Utekontakten i Bergen", "outreach", None),
    )),
    DemoTenant("alta", "Alta kommune", "NO", "944588132", (
        ("NAV Alta", "nav_office", "external"),
        ("Finnmarkskollektivet", "health_and_care", None),
    )),
    DemoTenant("kristiansand", "Kristiansand kommune", "NO", "820852982", (
        ("NAV Kristiansand", "nav_office", "external"),
        ("Livsmestring", "livsmestring", None),
        ("Forvaltning", "forvaltning", None),
    )),
    DemoTenant("odense", "Odense Kommune", "DK", "29189919", (
        ("Jobcenter Odense", "jobcenter", None),
        ("Socialafdelingen", "social_administration", None),
        ("Værestedet Kirkens Korshær", "dropin_centre", None),
    )),
)


def staff_email(slug: str, role: str) -> str:
    return f"{role.replace('_', '-')}@{slug}.demo"


def _citizens(tenant: Tenant, count: int, rng: random.Random) -> Iterator[tuple[str, str, str]]:
    for _ in range(count):
        birth = dt.date(2002, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 8))
        yield (
            synthetic_national_id(birth, tenant.country, rng),
            rng.choice(GIVEN[tenant.country]),
            rng.choice(FAMILY[tenant.country]),
        )


def _seed_tenant(spec: DemoTenant, rng: random.Random) -> Iterator[str]:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == spec.slug))
    if tenant is None:
        tenant = tenants.create_tenant(spec.slug, spec.name, spec.country, spec.organisation_number)
    with tenant_scope(tenant):
        for name, kind, payer_kind in spec.units:
            if db.session.scalar(sa.select(Unit.id).where(Unit.name == name)) is None:
                tenants.save_unit(tenant, {"name": name, "kind": kind, "payer_kind": payer_kind})
        for role in ROLES:
            email = staff_email(spec.slug, role)
            user = db.session.scalar(sa.select(User).where(User.email == email))
            user = user or tenants.create_user(email, f"{role.replace('_', ' ').title()} ({spec.name})", DEMO_PASSWORD)
            tenants.add_member(user, [role])
        existing = db.session.scalar(sa.select(sa.func.count(Person.id)))
        for national_id, given, family in _citizens(tenant, 20, rng):
            if existing:
                break
            people.register_person(tenant, national_id, given, family)
        db.session.commit()
        yield f"{spec.name:<22} http://127.0.0.1:5000/api/t/{spec.slug}   " + ", ".join(
            staff_email(spec.slug, r) for r in ("tenant_admin", "caseworker"))


def seed() -> Iterator[str]:
    """Create (or complete) the demo data; yields the lines to print."""
    rng = random.Random(2026)
    operator = db.session.scalar(sa.select(User).where(User.email == OPERATOR_EMAIL))
    if operator is None:
        tenants.create_user(OPERATOR_EMAIL, "Platform operator", DEMO_PASSWORD, is_operator=True)
        db.session.commit()
    for spec in TENANTS:
        yield from _seed_tenant(spec, rng)
    yield f"every demo login has the password {DEMO_PASSWORD!r}; operator: {OPERATOR_EMAIL}"
    yield "staff e-mails are <role>@<tenant>.demo, roles: " + ", ".join(r.replace("_", "-") for r in ROLES)

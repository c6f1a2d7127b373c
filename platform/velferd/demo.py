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
from typing import Iterable, Iterator

import sqlalchemy as sa

from velferd import people, tenants
from velferd.billing.profiles import save_profile
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.models import BillingProfile, Person, Tenant, Unit, User
from velferd.plugins.enablement import available_manifests, call_hook, enabled_plugin_ids, set_enabled
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
    plugins: tuple[str, ...] = ()
    """The programmes this municipality runs in the demo; enabled when installed here."""


TENANTS = (
    DemoTenant("bergen", "Bergen kommune", "NO", "964338531", (
        ("Barneverntjenesten Årstad", "child_welfare", "internal"),
        ("NAV Bergenhus", "nav_office", "external"),
        ("Utekontakten i Bergen", "outreach", None),
    ), plugins=("due",)),
    DemoTenant("alta", "Alta kommune", "NO", "944588132", (
        ("NAV Alta", "nav_office", "external"),
        ("Finnmarkskollektivet", "health_and_care", None),
    ), plugins=("aftercare",)),
    DemoTenant("kristiansand", "Kristiansand kommune", "NO", "820852982", (
        ("NAV Kristiansand", "nav_office", "external"),
        ("Livsmestring", "livsmestring", None),
        ("Forvaltning", "forvaltning", None),
    ), plugins=("nav_split",)),
    DemoTenant("odense", "Odense Kommune", "DK", "29189919", (
        ("Jobcenter Odense", "jobcenter", None),
        ("Socialafdelingen", "social_administration", None),
        ("Værestedet Kirkens Korshær", "dropin_centre", None),
    ), plugins=("dropin",)),
)


#: Billing details of the paying units, so the demo can run an invoice run (Bergen bills its
#: child welfare unit through the finance export and NAV by e-mail).
PAYER_DETAILS = {
    "Barneverntjenesten Årstad": {"organisation_number": "964338531", "delivery_channel": "finance_export",
                                  "address": "Postboks 7700", "postal_code": "5020", "city": "Bergen",
                                  "buyer_reference": "BV-ÅRSTAD"},
    "NAV Bergenhus": {"organisation_number": "889640782", "delivery_channel": "email",
                      "invoice_email": "faktura@nav-bergenhus.demo", "address": "Postboks 1",
                      "postal_code": "5804", "city": "Bergen", "buyer_reference": "NAV-4711"},
}
BILLING_PROFILES = {
    "bergen": {"bank_account": "5205 12 34561", "sender_email": "faktura@bergen.demo",
               "address": "Rådhusgaten 10", "postal_code": "5014", "city": "Bergen"},
}


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
                tenants.save_unit(tenant, {"name": name, "kind": kind, "payer_kind": payer_kind,
                                           **PAYER_DETAILS.get(name, {})})
        if spec.slug in BILLING_PROFILES and db.session.scalar(sa.select(BillingProfile.id)) is None:
            save_profile(tenant, BILLING_PROFILES[spec.slug])
        plugin_roles = _enable_plugins(tenant, spec.plugins)
        staff = {}
        for role in ROLES + plugin_roles:
            email = staff_email(spec.slug, role)
            user = db.session.scalar(sa.select(User).where(User.email == email))
            staff[role] = user or tenants.create_user(
                email, f"{role.replace('_', ' ').title()} ({spec.name})", DEMO_PASSWORD)
            tenants.add_member(staff[role], [role])
        existing = db.session.scalar(sa.select(sa.func.count(Person.id)))
        for national_id, given, family in _citizens(tenant, 20, rng):
            if existing:
                break
            people.register_person(tenant, national_id, given, family)
        db.session.flush()
        call_hook("velferd_demo_seed", tenant, staff=staff)
        db.session.commit()
        programmes = ", ".join(sorted(enabled_plugin_ids(tenant))) or "no programme installed"
        yield f"{spec.name:<22} http://127.0.0.1:5000/t/{spec.slug}/   ({programmes})"
        yield "    " + "  ".join(staff_email(spec.slug, role) for role in ROLES + plugin_roles)


def _enable_plugins(tenant: Tenant, wanted: Iterable[str]) -> tuple[str, ...]:
    """Enable the demo's programmes that are installed and offered in the tenant's country;
    return the roles they add, so the demo has a login for each."""
    manifests = available_manifests(tenant)
    roles: list[str] = []
    for plugin_id in wanted:
        manifest = manifests.get(plugin_id)
        if manifest is None:
            continue
        if plugin_id not in enabled_plugin_ids(tenant):
            set_enabled(tenant, plugin_id, True, actor=None)
        roles += [role for role in manifest.roles if role not in ROLES and role not in roles]
    return tuple(roles)


def seed(municipalities: Iterable[DemoTenant] = TENANTS) -> Iterator[str]:
    """Create (or complete) the demo data; yields the lines to print."""
    rng = random.Random(2026)
    operator = db.session.scalar(sa.select(User).where(User.email == OPERATOR_EMAIL))
    if operator is None:
        tenants.create_user(OPERATOR_EMAIL, "Platform operator", DEMO_PASSWORD, is_operator=True)
        db.session.commit()
    for spec in municipalities:
        yield from _seed_tenant(spec, rng)
    yield f"every demo login has the password {DEMO_PASSWORD!r}; operator: {OPERATOR_EMAIL}"
    yield (f"open http://127.0.0.1:5000/ and log in as one of the logins above (a caseworker: "
           f"{staff_email('bergen', 'caseworker')}; a tenant admin: {staff_email('bergen', 'tenant_admin')}; "
           f"finance: {staff_email('bergen', 'finance')}; an auditor: {staff_email('bergen', 'auditor')})")
    yield "the API: http://127.0.0.1:5000/api/openapi.json (the same logins, or a token: velferd users token)"
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    yield f"bill last month's programmes: velferd invoices run --tenant bergen --period {last_month:%Y-%m}"
    yield "staff e-mails are <role>@<tenant>.demo, roles: " + ", ".join(r.replace("_", "-") for r in ROLES) + (
        "; and one for each role a programme adds")

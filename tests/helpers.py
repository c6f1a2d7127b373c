"""Building municipalities, staff and tokens for tests, through the same services the app uses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from velferd import tenants
from velferd.auth import issue_token
from velferd.db import db
from velferd.identity import synthetic_national_id
from velferd.models import Tenant
from velferd.plugins import enablement
from velferd.tenancy import tenant_scope

ORGNR = {"bergen": "964338531", "alta": "944588132", "kristiansand": "820852982", "odense": "29189919"}
COUNTRY = {"bergen": "NO", "alta": "NO", "kristiansand": "NO", "odense": "DK"}
_rng = random.Random(7)


@dataclass
class Staff:
    email: str
    token: str
    user_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Municipality:
    tenant: Tenant
    staff: dict[str, Staff] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/api/t/{self.slug}{path}"

    def __getattr__(self, role: str) -> Staff:
        try:
            return self.__dict__["staff"][role]
        except KeyError:
            raise AttributeError(role) from None


def synthetic_id(country: str = "NO", birth: dt.date = dt.date(2005, 3, 14)) -> str:
    return synthetic_national_id(birth, country, _rng)


def make_municipality(app, slug: str, roles=("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance"),
                      plugins=("example",)) -> Municipality:
    with app.app_context():
        return _make_municipality(slug, roles, plugins)


def _make_municipality(slug, roles, plugins) -> Municipality:
    tenant = tenants.create_tenant(slug, slug.title(), COUNTRY[slug], ORGNR[slug])
    town = Municipality(tenant)
    with tenant_scope(tenant):
        for role in roles:
            user = tenants.create_user(f"{role}@{slug}.test", f"{role} {slug}", "correct horse battery")
            tenants.add_member(user, [role])
            _, token = issue_token(user, tenant, "test", dt.timedelta(days=1))
            town.staff[role] = Staff(user.email, token, user.id)
        for plugin in plugins:
            enablement.set_enabled(tenant, plugin, True, None)
        db.session.commit()
    return town

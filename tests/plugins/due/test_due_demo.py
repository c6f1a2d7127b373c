"""`make demo` shows Bergen's programme: the published deflators and referred youths."""

from __future__ import annotations

import sqlalchemy as sa
from velferd_due import prices

from velferd import demo
from velferd.db import db
from velferd.models import Case, Decision, Tenant
from velferd.tenancy import tenant_scope

BERGEN = next(town for town in demo.TENANTS if town.slug == "bergen")


def test_demo_seeds_the_published_deflators_and_referred_youths_once(app):
    with app.app_context():
        lines = list(demo.seed([BERGEN])) + list(demo.seed([BERGEN]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "bergen"))
        with tenant_scope(tenant):
            table = prices.deflators()
            cases = db.session.scalars(sa.select(Case).where(Case.plugin == "due")).all()
            outcomes = db.session.scalars(sa.select(Decision.outcome).where(Decision.plugin == "due")).all()
    assert set(table) == set(prices.PUBLISHED) and all(row.source for row in table.values())
    assert len(cases) == 3 and all(case.referring_unit_id for case in cases)
    assert outcomes == ["eligible"] * 3
    assert any("(due)" in line for line in lines)

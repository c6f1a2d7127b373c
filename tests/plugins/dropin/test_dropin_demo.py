"""`make demo` shows Odense's drop-in centres and their cooperation agreements, seeded once
however often the demo runs."""

from __future__ import annotations

import sqlalchemy as sa
from velferd_dropin.models import Agreement, Centre

from velferd import demo
from velferd.db import db
from velferd.models import Tenant
from velferd.tenancy import tenant_scope

ODENSE = next(town for town in demo.TENANTS if town.slug == "odense")


def test_the_demo_seeds_odenses_centres_and_agreements_once(app):
    with app.app_context():
        lines = list(demo.seed([ODENSE])) + list(demo.seed([ODENSE]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "odense"))
        with tenant_scope(tenant):
            centres = db.session.scalars(sa.select(Centre).order_by(Centre.name)).all()
            agreements = db.session.scalar(sa.select(sa.func.count(Agreement.id)))
    assert len(centres) == 2 and agreements == 2
    assert {centre.ownership for centre in centres} == {"private", "municipal"}
    assert any(not centre.private_room for centre in centres)
    assert any("(dropin)" in line for line in lines)

"""`make demo` shows Kristiansand's programme at work: assessed citizens with their allocations."""

from __future__ import annotations

import sqlalchemy as sa

from velferd import demo
from velferd.db import db
from velferd.models import AuditEvent, Case, Decision, Tenant
from velferd.tenancy import tenant_scope

KRISTIANSAND = next(town for town in demo.TENANTS if town.slug == "kristiansand")


def test_demo_seeds_one_assessed_citizen_per_kind_of_outcome_once(app):
    with app.app_context():
        lines = list(demo.seed([KRISTIANSAND])) + list(demo.seed([KRISTIANSAND]))
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "kristiansand"))
        with tenant_scope(tenant):
            outcomes = db.session.scalars(sa.select(Decision.outcome).where(Decision.plugin == "nav_split")).all()
            cases = db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.plugin == "nav_split"))
            submitted_by_forvaltning = db.session.scalar(
                sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "form.submitted"))
    assert cases == 5
    assert {"nav", "livsmestring", "rusfaglig_forum", "cooperation_meeting"} <= set(outcomes)
    assert submitted_by_forvaltning == 5
    assert any("(nav_split)" in line for line in lines)

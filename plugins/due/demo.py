"""Bergen's demo: the published deflator figures with their sources, and three youths referred by
the child welfare office, each with the eligibility recommendation and its reasons — the start of
the intake a visitor can carry on through the API. Everything goes through the core's services,
acting as the demo's staff, so it is checked and audited like real work."""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Person,
    Unit,
    acting_as,
    db,
    evaluate_rule,
    open_case,
    submit_form,
    tenant_today,
)

from . import prices
from .eligibility import RULE
from .manifest import PLUGIN_ID

YOUTHS = 3
CRITERIA = (["lacks_housing_or_needs_housing_follow_up"], ["lacks_daytime_activity", "needs_treatment_start"],
            ["follow_up_after_institution_or_prison"])


def seed(tenant, staff) -> None:
    with acting_as(staff["tenant_admin"]) as admin:
        prices.load_published(admin)
    unit = db.session.scalar(sa.select(Unit).where(Unit.kind == "child_welfare").order_by(Unit.id))
    if unit is None or db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.plugin == PLUGIN_ID)):
        return
    today = tenant_today(tenant)
    youngest_birth = today.replace(year=today.year - 16)
    oldest_birth = today.replace(year=today.year - 23)
    youths = db.session.scalars(
        sa.select(Person).where(Person.birth_date.between(oldest_birth, youngest_birth)).order_by(Person.id).limit(YOUTHS)
    ).all()
    with acting_as(staff["caseworker"]):
        for person, criteria in zip(youths, CRITERIA, strict=False):
            case = open_case(tenant, PLUGIN_ID, person.id, referring_unit_id=unit.id)
            submit_form(tenant, PLUGIN_ID, "referral", {
                "legal_basis": "child_welfare_act", "criteria": criteria, "referred_on": today.isoformat(),
                "motivation": "Wants a place of their own and to finish upper secondary school.",
                "needs": ["housing", "school", "a steady adult to call"]}, case.id)
            evaluate_rule(tenant, PLUGIN_ID, RULE, {"referred_on": today.isoformat(), "criteria": criteria}, case.id)

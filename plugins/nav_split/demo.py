"""Kristiansand's demo: a handful of citizens assessed by Forvaltning, one per kind of outcome,
so a visitor sees NAV and Livsmestring allocations, a Rusfaglig Forum referral and a cooperation
meeting with the reasons the rule gives. Everything goes through the core's services, acting as
the demo's Forvaltning caseworker, so it is audited like real work."""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import Case, Person, acting_as, db, evaluate_rule, open_case, submit_form

from .decisions import ALLOCATION_RULE
from .manifest import PLUGIN_ID

SCENARIOS = (
    {"work_line_realistic": "yes", "purposes": [], "substance_use": False, "from_other_municipality": False,
     "has_job": True},
    {"work_line_realistic": "no", "purposes": ["prevent"], "substance_use": False, "from_other_municipality": False,
     "has_job": False},
    {"work_line_realistic": "unclear", "purposes": [], "substance_use": True, "from_other_municipality": True,
     "previous_municipality": "Arendal", "has_job": False},
    {"work_line_realistic": "unclear", "purposes": [], "substance_use": False, "from_other_municipality": False,
     "has_job": False, "units_disagree": True},
    {"work_line_realistic": "yes", "purposes": ["motivation_for_treatment"], "substance_use": True,
     "from_other_municipality": False, "has_job": False},
)


def seed(tenant, staff) -> None:
    """Assess one citizen per scenario, unless Kristiansand already has nav_split cases."""
    if db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.plugin == PLUGIN_ID)):
        return
    people = db.session.scalars(sa.select(Person).order_by(Person.id).limit(len(SCENARIOS))).all()
    with acting_as(staff["forvaltning"]):
        for person, answers in zip(people, SCENARIOS, strict=False):
            data = {**answers, "date_of_birth": person.birth_date.isoformat()}
            case = open_case(tenant, PLUGIN_ID, person.id)
            submit_form(tenant, PLUGIN_ID, "kartlegging", data, case.id)
            evaluate_rule(tenant, PLUGIN_ID, ALLOCATION_RULE, data, case.id)

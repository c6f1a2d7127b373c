"""Bergen's demo: DUE at work the day the demo is seeded.

* The deflator table covers every year from the base year to this one (by the clock, so the demo
  keeps working next year): the published figures with their sources, and each year without one
  entered by the demo's tenant admin, its source saying plainly that it is an assumed demo figure.
* Two youths started months ago — referral, eligibility, intake, the referring unit's vedtak and
  the start meeting — one paid for by child welfare, one by NAV, so last month's invoice run
  (``velferd invoices run --tenant bergen --period <last month>``) bills real amounts at once.
* Three youths referred today by child welfare, each with the eligibility recommendation and its
  reasons: the start of an intake a visitor can carry on through the API.

Everything goes through the plugin's and the core's services, acting as the demo's staff, so it
is checked and audited like real work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Person,
    Unit,
    acting_as,
    db,
    evaluate_rule,
    open_case,
    settings_for,
    submit_form,
    tenant_today,
    transition_case,
)

from . import coordination, placement, prices
from .eligibility import RULE
from .manifest import PLUGIN_ID
from .schemas import AssignmentCreateSchema, VedtakCreateSchema

#: The figure the demo's admin enters for a year with no published deflator in `prices.PUBLISHED`.
ASSUMED_DEFLATOR = Decimal("3.0")
ASSUMED_SOURCE = ("entered by the tenant admin for the demo: an assumed {percent} %, not a published figure; "
                  "replace it with the municipal deflator of the national budget for {year}")


def assumed_source(year: int) -> str:
    return ASSUMED_SOURCE.format(percent=ASSUMED_DEFLATOR, year=year)


#: (referring unit kind, months since the start, criteria): the youths already in the programme.
STARTED = (("child_welfare", 4, ["lacks_housing_or_needs_housing_follow_up", "lacks_daytime_activity"]),
           ("nav_office", 3, ["follow_up_after_institution_or_prison"]))
WAITING = (["lacks_housing_or_needs_housing_follow_up"], ["lacks_daytime_activity", "needs_treatment_start"],
           ["follow_up_after_institution_or_prison"])
LEGAL_BASIS = {"child_welfare": "child_welfare_act", "nav_office": "health_and_care_services_act"}


def seed(tenant, staff) -> None:
    today = tenant_today(tenant)
    with acting_as(staff["tenant_admin"]) as admin:
        complete_deflator_table(admin, settings_for(tenant, PLUGIN_ID)["base_year"], today.year)
    if db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.plugin == PLUGIN_ID)):
        return
    units = {kind: db.session.scalar(sa.select(Unit).where(Unit.kind == kind).order_by(Unit.id))
             for kind in LEGAL_BASIS}
    if units["child_welfare"] is None:
        return
    youths = iter(_youths(today, len(STARTED) + len(WAITING)))
    for (kind, months_ago, criteria), person in zip(STARTED, youths, strict=False):
        if units[kind] is not None:
            _start(tenant, staff, person, units[kind], _first_of_month(today, -months_ago), criteria)
    with acting_as(staff["caseworker"]):
        for criteria, person in zip(WAITING, youths, strict=False):
            _refer(tenant, person, units["child_welfare"], today, criteria)


def complete_deflator_table(admin, first_year: int, last_year: int) -> None:
    """The published figures, then an assumed one for each year still missing, up to `last_year`."""
    prices.load_published(admin)
    known = prices.deflators()
    for year in range(first_year, last_year + 1):
        if year not in known:
            prices.enter_deflator(year, ASSUMED_DEFLATOR, assumed_source(year), admin)


def _youths(today: dt.date, count: int) -> list[Person]:
    """Citizens aged 16–23 today: DUE's age range, so each referral is eligible."""
    youngest_birth = today.replace(year=today.year - 16)
    oldest_birth = today.replace(year=today.year - 23)
    return db.session.scalars(
        sa.select(Person).where(Person.birth_date.between(oldest_birth, youngest_birth)).order_by(Person.id).limit(count)
    ).all()


def _first_of_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _refer(tenant, person: Person, unit: Unit, referred_on: dt.date, criteria: list[str]) -> Case:
    """Open the case, file the referral and record the eligibility recommendation."""
    case = open_case(tenant, PLUGIN_ID, person.id, referring_unit_id=unit.id)
    submit_form(tenant, PLUGIN_ID, "referral", {
        "legal_basis": LEGAL_BASIS[unit.kind], "criteria": criteria, "referred_on": referred_on.isoformat(),
        "motivation": "Wants a place of their own and to finish upper secondary school.",
        "needs": ["housing", "school", "a steady adult to call"]}, case.id)
    evaluate_rule(tenant, PLUGIN_ID, RULE, {"referred_on": referred_on.isoformat(), "criteria": criteria}, case.id)
    return case


def _start(tenant, staff, person: Person, unit: Unit, start_on: dt.date, criteria: list[str]) -> None:
    """A youth through the whole intake to a start on `start_on`: referred a month before, the
    vedtak a week before, the start meeting on the day, and a coordinator from then."""
    referred_on = _first_of_month(start_on, -1) + dt.timedelta(days=4)
    with acting_as(staff["caseworker"]):
        case = _refer(tenant, person, unit, referred_on, criteria)
        for name in ("invite", "start_assessment"):
            transition_case(tenant, case, name, {}, None)
        submit_form(tenant, PLUGIN_ID, "assessment", {
            "right_measure": True, "needs": ["housing", "school", "finances"],
            "coordinator_wishes": "Someone who knows the neighbourhood."}, case.id)
        transition_case(tenant, case, "give_feedback", {}, None)
        transition_case(tenant, case, "offer", {"start_on": start_on.isoformat()}, None)
        transition_case(tenant, case, "request_vedtak", {}, None)
        decided_on = start_on - dt.timedelta(days=7)
        placement.record_vedtak(tenant, case, VedtakCreateSchema().load({
            "unit_id": unit.id, "decided_on": decided_on.isoformat(),
            "reference": f"{'BV' if unit.kind == 'child_welfare' else 'NAV'}-{decided_on.year}/{case.id}"}),
            staff["caseworker"])
        transition_case(tenant, case, "hold_start_meeting", {
            "plan_type": "individual_plan", "additional_needs": ["daytime activity"],
            "goals": ["A flat of their own", "A daytime activity four days a week"],
            "responsibility_group": {"members": ["the youth", "coordinator", "the referring caseworker"],
                                     "frequency": "every six weeks", "place": "Utekontakten i Bergen"},
            "tasks": [{"task": "Apply for a municipal flat", "responsible": "coordinator"}],
            "first_group_meeting_on": (start_on + dt.timedelta(days=28)).isoformat(),
            # who took part (guideline 4.3): the youth, DUE's coordinator and the referring unit
            "participants": [{"role": "youth"},
                             {"role": "coordinator", "name": staff["coordinator"].name, "unit": "DUE"},
                             {"role": "referring_unit", "name": staff["caseworker"].name, "unit": unit.name}]}, None)
    with acting_as(staff["leader"]) as leader:
        coordination.assign(case, AssignmentCreateSchema().load({
            "user_id": staff["coordinator"].id, "assigned_on": start_on.isoformat()}), leader)

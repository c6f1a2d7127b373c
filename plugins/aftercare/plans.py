"""A resident's individual plan (IP), their participation, and the qualification programme — the
services the API (`api_plans`) and the case panel (`plan_pages`) share.

The IP's legal basis, as Alta's project plan (5.4) gives it: "Individuell plan er lovfestet overfor
mennesker med langvarige og sammensatte hjelpebehov. Det skal sikre den enkelte de tjenester
vedkommende har behov for. Lovhjemmel finner en i kommunehelsetjenesteloven 6-2a,
spesialisthelsetjenesteloven 2-6, psykisk helsevernloven 4-1 og sosialtjenesteloven 4-3a." Its aim
is an offer "helhetlig, koordinert og individuelt tilpassa", and "Brukeren skal ha en person å
forholde seg til" — so a plan has exactly one contact person, who must be staff of the tenant.

User participation: "Sosialtjenesteloven 8-4 pålegger sosialtjenesten en plikt til å rådføre seg
med brukeren ved utforming av tjenestetilbudet" — a consultation is recorded when it has happened
(not in the future), with what the resident said and what changed.

The qualification programme: "beboere i ettervernsboligene kan søke og sannsynligvis vil innvilges
deltakelse i kvalifiseringsprogrammet" — NAV grants it; the case records the grant and the
expected stipend is computed by `stipend` from the G table.

These functions write to the session and flush; the caller (an API view, a page) commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import (
    Case,
    Conflict,
    Person,
    User,
    ValidationFailed,
    VelferdError,
    audit,
    current_tenant,
    db,
    get_owned,
    tenant_today,
)

from . import staff, stipend
from .g_table import GTable
from .plan_models import IndividualPlan, Participation, PlanGoal, PlanPartner, QualificationProgramme

LAWS = ("kommunehelsetjenesteloven § 6-2a", "spesialisthelsetjenesteloven § 2-6", "psykisk helsevernloven § 4-1",
        "sosialtjenesteloven § 4-3a")
PARTICIPATION_LAW = "sosialtjenesteloven § 8-4"
#: partners that need a name of their own
NAMED_PARTNERS = ("other",)


# --- finding ---------------------------------------------------------------------------------------

def plan_of(case_id: int) -> IndividualPlan | None:
    return db.session.scalar(sa.select(IndividualPlan).where(IndividualPlan.case_id == case_id))


def require_plan(case: Case) -> IndividualPlan:
    """The case's plan, or 409: goals, partners and consultations belong to a plan."""
    plan = plan_of(case.id)
    if plan is None:
        raise Conflict(f"case {case.id} has no individual plan yet; create it with its contact person first")
    return plan


def _not_in_the_future(day: dt.date, field: str) -> None:
    today = tenant_today(current_tenant())
    if day > today:
        raise ValidationFailed(f"{field} is in the future",
                               {field: [f"{day.isoformat()} is after today, {today.isoformat()}."]})


# --- the plan --------------------------------------------------------------------------------------

def save_plan(case: Case, data: Mapping[str, Any]) -> IndividualPlan:
    """Create the case's plan or change its contact person / start (loaded by `PlanInput`)."""
    contact = staff.staff_member(data["contact_person_id"], "contact_person_id")
    plan = plan_of(case.id)
    created = plan is None
    if created:
        plan = IndividualPlan(case_id=case.id, started_on=data.get("started_on") or tenant_today(current_tenant()))
        db.session.add(plan)
    elif data.get("started_on"):
        plan.started_on = data["started_on"]
    plan.contact_person_id = contact.id
    db.session.flush()
    audit.record("aftercare.plan_created" if created else "aftercare.plan_changed", "aftercare_plan", plan.id,
                 person_id=case.person_id, details={"contact_person_id": contact.id})
    return plan


def goals(plan: IndividualPlan) -> list[PlanGoal]:
    return list(db.session.scalars(sa.select(PlanGoal).where(PlanGoal.plan_id == plan.id).order_by(PlanGoal.id)))


def add_goal(case: Case, data: Mapping[str, Any]) -> PlanGoal:
    plan = require_plan(case)
    goal = PlanGoal(plan_id=plan.id, text=data["text"], target_on=data.get("target_on"),
                    status=data.get("status") or "open")
    db.session.add(goal)
    db.session.flush()
    audit.record("aftercare.plan_goal_added", "aftercare_plan_goal", goal.id, person_id=case.person_id)
    return goal


def update_goal(case: Case, goal_id: int, changes: Mapping[str, Any]) -> PlanGoal:
    plan = require_plan(case)
    goal = db.session.scalar(sa.select(PlanGoal).where(PlanGoal.id == goal_id, PlanGoal.plan_id == plan.id))
    if goal is None:
        raise ValidationFailed(f"no goal {goal_id} in this plan", {"goal_id": [f"No goal {goal_id} in this plan."]})
    for name in ("text", "target_on", "status"):
        if name in changes:
            setattr(goal, name, changes[name])
    db.session.flush()
    audit.record("aftercare.plan_goal_changed", "aftercare_plan_goal", goal.id, person_id=case.person_id,
                 details={key: str(value) for key, value in changes.items()})
    return goal


def partners(plan: IndividualPlan) -> list[PlanPartner]:
    return list(db.session.scalars(sa.select(PlanPartner).where(PlanPartner.plan_id == plan.id)
                                   .order_by(PlanPartner.id)))


def add_partner(case: Case, data: Mapping[str, Any]) -> PlanPartner:
    """A service or partner in the plan and what it does; "other" must be named."""
    plan = require_plan(case)
    if data["partner"] in NAMED_PARTNERS and not data.get("name"):
        raise ValidationFailed("name the partner", {"name": ["Name the partner when it is “other”."]})
    partner = PlanPartner(plan_id=plan.id, partner=data["partner"], name=data.get("name"), role=data["role"])
    db.session.add(partner)
    db.session.flush()
    audit.record("aftercare.plan_partner_added", "aftercare_plan_partner", partner.id, person_id=case.person_id,
                 details={"partner": partner.partner})
    return partner


def participation(plan: IndividualPlan) -> list[Participation]:
    return list(db.session.scalars(sa.select(Participation).where(Participation.plan_id == plan.id)
                                   .order_by(Participation.consulted_on, Participation.id)))


def record_participation(case: Case, data: Mapping[str, Any], actor: User | None) -> Participation:
    """A consultation of the resident (§ 8-4), recorded when it has happened."""
    plan = require_plan(case)
    _not_in_the_future(data["consulted_on"], "consulted_on")
    row = Participation(plan_id=plan.id, consulted_on=data["consulted_on"], method=data["method"],
                        resident_said=data["resident_said"], changed=data.get("changed"),
                        recorded_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    audit.record("aftercare.participation_recorded", "aftercare_participation", row.id, person_id=case.person_id)
    return row


def plan_body(case: Case) -> dict[str, Any] | None:
    """The plan as the API and the panel show it (None: no plan yet)."""
    plan = plan_of(case.id)
    if plan is None:
        return None
    contact = db.session.get(User, plan.contact_person_id)
    return {"id": plan.id, "case_id": case.id, "started_on": plan.started_on,
            "contact_person": {"id": contact.id, "name": contact.name}, "laws": list(LAWS),
            "goals": goals(plan), "partners": partners(plan), "participation": participation(plan)}


# --- the qualification programme -------------------------------------------------------------------

def programme_of(case_id: int) -> QualificationProgramme | None:
    return db.session.scalar(sa.select(QualificationProgramme).where(QualificationProgramme.case_id == case_id))


def save_programme(case: Case, data: Mapping[str, Any]) -> QualificationProgramme:
    """Record (or correct) the programme NAV granted (loaded by `ProgrammeInput`): granted on a day
    that has come, ending on or after its start."""
    _not_in_the_future(data["granted_on"], "granted_on")
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("the programme ends before it starts",
                               {"ends_on": [f"Must be on or after the start, {data['starts_on'].isoformat()}."]})
    programme = programme_of(case.id)
    created = programme is None
    if created:
        programme = QualificationProgramme(case_id=case.id)
        db.session.add(programme)
    for name in ("granted_on", "starts_on", "ends_on"):
        setattr(programme, name, data[name])
    programme.children = data.get("children", 0)
    programme.child_rate_per_day = data.get("child_rate_per_day") or stipend.CHILD_RATE.per_day
    db.session.flush()
    audit.record("aftercare.programme_recorded" if created else "aftercare.programme_changed",
                 "aftercare_qualification_programme", programme.id, person_id=case.person_id)
    return programme


def child_rate(programme: QualificationProgramme) -> stipend.ChildRate:
    rate = Decimal(programme.child_rate_per_day)
    source = stipend.CHILD_RATE.source if rate == stipend.CHILD_RATE.per_day else "entered with the programme"
    return stipend.ChildRate(rate, stipend.CHILD_RATE.days_per_month, source)


def programme_body(case: Case) -> dict[str, Any] | None:
    """The programme with the expected stipend today and per month of the programme (None: no
    programme). A figure the G table cannot give yet is left out with the reason (`*_unknown`),
    so the case still shows — the G table page is where it is put right."""
    programme = programme_of(case.id)
    if programme is None:
        return None
    table, rate, birth = GTable.load(), child_rate(programme), get_owned(Person, case.person_id).birth_date
    body: dict[str, Any] = {"id": programme.id, "case_id": case.id, "granted_on": programme.granted_on,
                            "starts_on": programme.starts_on, "ends_on": programme.ends_on,
                            "children": programme.children, "child_rate_per_day": programme.child_rate_per_day,
                            "now": None, "now_unknown": None, "months": [], "months_unknown": None, "total": None}
    today = tenant_today(current_tenant())
    try:
        body["now"] = stipend.expected_stipend(birth, today, programme.children, rate, table)
    except VelferdError as unknown:
        body["now_unknown"] = unknown.message
    try:
        months = stipend.programme_months(birth, programme.starts_on, programme.ends_on, programme.children,
                                          rate, table)
        body["months"], body["total"] = months, stipend.total(months)
    except VelferdError as unknown:
        body["months_unknown"] = unknown.message
    return body

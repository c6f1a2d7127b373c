"""Coordination and follow-up are separate (seed, "Koordinatorrollen").

When Forvaltning appoints the coordinator (the case moves to ``allocated_nav`` or
``allocated_livsmestring``) an `Appointment` is recorded from the governing decision: the unit,
for NAV the team (job / no job × under 30 / 30 and over, age on the decision date), follow-up by
the coordinating unit unless Forvaltning records otherwise — Livsmestring may follow up at home
while NAV coordinates — and NAV's financial caseworker for social assistance, whoever coordinates.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from velferd.toolkit import Case, Conflict, Decision, Tenant, audit, current_user, db

from .allocation import NAV
from .decisions import ALLOCATION_RULE, effective_decision
from .manifest import PLUGIN_ID
from .models import Appointment
from .teams import team_for

FINANCIAL_UNIT = "nav"


def decided_on(tenant: Tenant, decision: Decision) -> dt.date:
    return decision.decided_at.astimezone(ZoneInfo(tenant.time_zone)).date()


def latest_assessment(case_id: int) -> Decision | None:
    """The latest allocation decision (its inputs are the kartlegging: job and date of birth)."""
    return db.session.scalar(
        sa.select(Decision).where(Decision.case_id == case_id, Decision.plugin == PLUGIN_ID,
                                  Decision.rule == ALLOCATION_RULE).order_by(Decision.id.desc()).limit(1))


def nav_team(tenant: Tenant, case_id: int, decision: Decision) -> str | None:
    assessment = latest_assessment(case_id)
    if assessment is None:
        return None
    inputs = assessment.inputs
    birth = dt.date.fromisoformat(inputs["date_of_birth"])
    return team_for(bool(inputs["has_job"]), birth, decided_on(tenant, decision))


def appoint(tenant: Tenant, case: Case, unit: str, decision: Decision) -> Appointment:
    appointment = Appointment(
        case_id=case.id, decision_id=decision.id, coordinator_unit=unit,
        nav_team=nav_team(tenant, case.id, decision) if unit == NAV else None,
        follow_up_unit=unit, follow_up_at_home=False, social_assistance=False,
        financial_caseworker_unit=FINANCIAL_UNIT, appointed_by_id=(current_user() and current_user().id),
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record("nav_split.coordinator_appointed", "nav_split_appointment", appointment.id,
                 person_id=case.person_id, details={"unit": unit, "team": appointment.nav_team})
    return appointment


def current_appointment(case_id: int) -> Appointment | None:
    return db.session.scalar(sa.select(Appointment).where(Appointment.case_id == case_id)
                             .order_by(Appointment.id.desc()).limit(1))


def allocation_of(case: Case) -> dict:
    """What governs the case and who was appointed: the API's ``GET allocation`` and the case panel."""
    return {"case_id": case.id, "state": case.state, "decision": effective_decision(case.id),
            "appointment": current_appointment(case.id)}


def record_follow_up(case: Case, changes: dict) -> Appointment:
    appointment = current_appointment(case.id)
    if appointment is None or case.state not in ("allocated_nav", "allocated_livsmestring"):
        raise Conflict(f"case {case.id} has no appointed coordinator; appoint one before recording follow-up")
    for key, value in changes.items():
        setattr(appointment, key, value)
    appointment.financial_caseworker_unit = FINANCIAL_UNIT
    audit.record("nav_split.follow_up_recorded", "nav_split_appointment", appointment.id,
                 person_id=case.person_id, details={"changed": sorted(changes)})
    return appointment

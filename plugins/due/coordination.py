"""Coordinators, their hours, absences and substitutes (guidelines 2.3.1, 4.6).

Each running case has one coordinator at a time, bought out 8 hours a week on average and
reachable for the youth on weekdays 08:00–20:00; both are recorded per assignment and may differ
(extra hours). On sickness or holiday DUE must be told at once and names a substitute (vikar).
A case is flagged when, on a given day, it has no coordinator, or its coordinator is away and no
substitute is named (or the substitute is away too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from velferd.toolkit import Case, Conflict, Membership, User, ValidationFailed, audit, db

from .manifest import PLUGIN_ID
from .models import Absence, CoordinatorAssignment
from .workflow import ACTIVE, AWAITING_VEDTAK, INTAKE_STATES, OFFERED

ASSIGNABLE = (*INTAKE_STATES, OFFERED, AWAITING_VEDTAK, *ACTIVE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def require_staff(user_id: int | None, field: str) -> User:
    member = db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id)) if user_id else None
    if member is None:
        raise ValidationFailed(f"{field} must name staff of this municipality",
                               {field: [f"user {user_id} is not staff here"]})
    return member.user


def current_assignment(case_id: int, day: dt.date | None = None) -> CoordinatorAssignment | None:
    statement = sa.select(CoordinatorAssignment).where(CoordinatorAssignment.case_id == case_id)
    if day is None:
        statement = statement.where(CoordinatorAssignment.ended_on.is_(None))
    else:
        statement = statement.where(CoordinatorAssignment.assigned_on <= day, sa.or_(
            CoordinatorAssignment.ended_on.is_(None), CoordinatorAssignment.ended_on >= day))
    return db.session.scalar(statement.order_by(CoordinatorAssignment.assigned_on.desc(),
                                                CoordinatorAssignment.id.desc()).limit(1))


def assign(case: Case, data: Mapping[str, Any], actor: User | None) -> CoordinatorAssignment:
    if case.state not in ASSIGNABLE:
        raise Conflict(f"case {case.id} is {case.state}; a coordinator is assigned while the case is open")
    require_staff(data["user_id"], "user_id")
    if data["reachable_from"] >= data["reachable_to"]:
        raise ValidationFailed("the reachable hours end before they begin",
                               {"reachable_to": ["must be after reachable_from"]})
    previous = current_assignment(case.id)
    if previous is not None:
        if data["assigned_on"] < previous.assigned_on:
            raise ValidationFailed("the assignment is dated before the current coordinator's",
                                   {"assigned_on": [f"must be on or after {previous.assigned_on.isoformat()}"]})
        previous.ended_on = max(previous.assigned_on, data["assigned_on"] - dt.timedelta(days=1))
    assignment = CoordinatorAssignment(case_id=case.id, assigned_by_id=actor.id if actor else None, **data)
    db.session.add(assignment)
    case.assigned_to_id = data["user_id"]
    db.session.flush()
    audit.record("due.coordinator_assigned", "due_coordinator_assignment", assignment.id, person_id=case.person_id,
                 details={"user_id": data["user_id"], "weekly_hours": str(data["weekly_hours"])})
    return assignment


def record_absence(data: Mapping[str, Any], actor: User | None) -> Absence:
    require_staff(data["user_id"], "user_id")
    if data["ends_on"] < data["starts_on"]:
        raise ValidationFailed("the absence ends before it starts", {"ends_on": ["must be on or after starts_on"]})
    substitute = data.get("substitute_user_id")
    if substitute is not None:
        require_staff(substitute, "substitute_user_id")
        if substitute == data["user_id"]:
            raise ValidationFailed("a coordinator cannot stand in for themselves",
                                   {"substitute_user_id": ["name someone else"]})
    absence = Absence(recorded_by_id=actor.id if actor else None, **data)
    db.session.add(absence)
    db.session.flush()
    audit.record("due.absence_recorded", "due_absence", absence.id,
                 details={"user_id": absence.user_id, "substitute_user_id": substitute})
    return absence


def absence_on(user_id: int, day: dt.date) -> Absence | None:
    return db.session.scalar(sa.select(Absence).where(Absence.user_id == user_id, Absence.starts_on <= day,
                                                      Absence.ends_on >= day).order_by(Absence.id.desc()).limit(1))


def responsible_on(case_id: int, day: dt.date) -> int | None:
    """Who answers for the case that day: the coordinator, or their substitute while away."""
    assignment = current_assignment(case_id, day)
    if assignment is None:
        return None
    away = absence_on(assignment.user_id, day)
    return assignment.user_id if away is None else away.substitute_user_id


@dataclass(frozen=True)
class Flag:
    case_id: int
    coordinator_user_id: int | None
    reason: str


def flag_for(case_id: int, day: dt.date) -> Flag | None:
    assignment = current_assignment(case_id, day)
    if assignment is None:
        return Flag(case_id, None, f"no coordinator is assigned on {day.isoformat()}")
    away = absence_on(assignment.user_id, day)
    if away is None:
        return None
    period = f"{away.starts_on.isoformat()}–{away.ends_on.isoformat()}"
    if away.substitute_user_id is None:
        return Flag(case_id, assignment.user_id,
                    f"the coordinator (user {assignment.user_id}) is away ({away.reason}) {period} and no substitute "
                    "is named")
    if absence_on(away.substitute_user_id, day) is not None:
        return Flag(case_id, assignment.user_id,
                    f"the coordinator (user {assignment.user_id}) is away {period} and the substitute "
                    f"(user {away.substitute_user_id}) is away too")
    return None


def flags(day: dt.date) -> list[Flag]:
    """Running cases that lack someone to answer for them on `day`."""
    case_ids = db.session.scalars(sa.select(Case.id).where(Case.plugin == PLUGIN_ID, Case.state.in_(ACTIVE))
                                  .order_by(Case.id)).all()
    return [flag for case_id in case_ids if (flag := flag_for(case_id, day)) is not None]


def absences() -> list[Absence]:
    """Coordinators' absences, earliest first (the API's list and the absences page)."""
    return list(db.session.scalars(sa.select(Absence).order_by(Absence.starts_on, Absence.id)))


def caseload_of_coordinators() -> list[tuple[int, str, CoordinatorAssignment | None]]:
    """Who coordinates which youth: each DUE case from referral to notice (id, state) with its
    coordinator now, or None — the page of coordinators and absences lists them."""
    rows = db.session.execute(
        sa.select(Case.id, Case.state, CoordinatorAssignment)
        .outerjoin(CoordinatorAssignment, sa.and_(CoordinatorAssignment.case_id == Case.id,
                                                  CoordinatorAssignment.ended_on.is_(None)))
        .where(Case.plugin == PLUGIN_ID, Case.state.in_(ASSIGNABLE)).order_by(Case.id)).all()
    return [(case_id, state, assignment) for case_id, state, assignment in rows]

"""A DUE case at a glance — placement, plan and goals, coordinator, payers, report deadlines —
as the API's placement route returns it and the case page's DUE panel shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from velferd.toolkit import Case

from . import coordination, placement, reports
from .schemas import PlacementSchema
from .workflow import ACTIVE, placement_of


def placement_overview(case: Case, today: dt.date) -> dict[str, Any]:
    """The case's project as of `today`. Not audited here: the API's route records its read
    (view ``due.placement``); the case page that shows it as a panel has recorded its own."""
    found = placement_of(case.id)
    flag = coordination.flag_for(case.id, today) if case.state in ACTIVE else None
    body = {c: getattr(found, c) for c in PlacementSchema().fields if found is not None and hasattr(found, c)}
    goals = reports.goal_progress(case.id, list(found.plan_goals or [])) if found is not None else []
    return {**body, "case_id": case.id, "state": case.state, "payers": placement.payer_periods(case.id),
            "coordinator": coordination.current_assignment(case.id), "flag": flag.reason if flag else None,
            "deadlines": reports.deadlines(case.id), "goals": goals,
            "start_meeting_participants": placement.start_meeting_participants(case.id)}

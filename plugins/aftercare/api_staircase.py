"""The staircase's routes on the plugin's API (/api/t/<tenant>/x/aftercare; 404 where the plugin is
off): the steps and what each means, a case's staircase, breaches, and applying a move. The
proposal itself is the core's rule evaluation (``POST /rules/aftercare/step_change/evaluations``)
and its override (``POST /decisions/<id>/overrides``)."""

from __future__ import annotations

from velferd.toolkit import current_tenant, db, requires, tenant_today

from . import staircase
from .api_kit import blp
from .manifest import DECIDE, HOUSING_MANAGE, READ
from .staircase_schemas import (
    ApplyMoveInput,
    BreachInput,
    BreachSchema,
    StaircaseSchema,
    StepEdit,
    StepPlacementSchema,
    StepSchema,
)
from .stays import aftercare_case


def _view(case_id: int) -> dict:
    return staircase.staircase_view(aftercare_case(case_id), tenant_today(current_tenant()))


@blp.get("/steps")
@requires(READ)
@blp.response(200, StepSchema(many=True))
def list_steps():
    """Steps 2–5 of the staircase: each step's contract, trial period, rights, and level of help
    and control (Alta's defaults the first time)."""
    ladder = [staircase.step_body(step) for step in staircase.steps(current_tenant())]
    db.session.commit()
    return ladder


@blp.patch("/steps/<int:number>")
@requires(HOUSING_MANAGE)
@blp.arguments(StepEdit)
@blp.response(200, StepSchema)
def edit_step(data, number):
    """Edit a step: help and control may not grow as the resident rises; steps 2–4 keep a special
    contract, step 5 an ordinary lease."""
    step = staircase.update_step(number, data)
    db.session.commit()
    return staircase.step_body(step)


@blp.get("/cases/<int:case_id>/staircase")
@requires(READ)
@blp.response(200, StaircaseSchema)
def read_staircase(case_id):
    """The resident's current step, the history with each move's decision, reasons and contract,
    the breaches, and the proposal waiting to be applied."""
    view = _view(case_id)
    db.session.commit()
    return view


@blp.post("/cases/<int:case_id>/breaches")
@requires("cases:write")
@blp.arguments(BreachInput)
@blp.response(201, BreachSchema)
def record_breach(data, case_id):
    """Record a breach of a rule or of the agreement; a move down is then proposed with the rule."""
    breach = staircase.record_breach(aftercare_case(case_id), data)
    db.session.commit()
    return breach


@blp.post("/cases/<int:case_id>/steps")
@requires(DECIDE)
@blp.arguments(ApplyMoveInput)
@blp.response(201, StepPlacementSchema)
def apply_move(data, case_id):
    """Apply the decision that governs the case (the latest on the rule; an override supersedes):
    the resident moves to its step on ``on`` with that step's contract (``lease.kind``)."""
    case = aftercare_case(case_id)
    placement = staircase.apply_move(case, data)
    db.session.commit()
    return next(entry for entry in _view(case.id)["history"] if entry["id"] == placement.id)

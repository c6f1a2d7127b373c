"""Rules and decisions: evaluate a rule, read a decision with its reasons, override it."""

from __future__ import annotations

from flask_smorest import Blueprint

from velferd import decisions
from velferd.api.context import TENANT_PREFIX, tenant
from velferd.api.schemas import DecisionSchema, EvaluateSchema, OverrideSchema
from velferd.auth import requires
from velferd.db import db

blp = Blueprint("decisions", __name__, url_prefix=TENANT_PREFIX, description="Rules and decisions")


@blp.post("/rules/<plugin>/<name>/evaluations")
@blp.arguments(EvaluateSchema)
@blp.response(201, DecisionSchema)
def evaluate_rule(data, plugin, name):
    """Evaluate a plugin's rule; the decision is stored with its inputs, version and reasons."""
    decision = decisions.evaluate(tenant(), plugin, name, data["inputs"], data["case_id"])
    db.session.commit()
    return decision


@blp.get("/decisions/<int:decision_id>")
@requires("decisions:read")
@blp.response(200, DecisionSchema)
def read_decision(decision_id):
    """One recorded rule decision, with its inputs and reasons."""
    return decisions.read_decision(decision_id)


@blp.post("/decisions/<int:decision_id>/overrides")
@blp.arguments(OverrideSchema)
@blp.response(201, DecisionSchema)
def override_decision(data, decision_id):
    """Replace a decision's outcome with a person's, giving the reason; the original is kept."""
    decision = decisions.override(tenant(), decisions.read_decision(decision_id), data["outcome"], data["reason"])
    db.session.commit()
    return decision

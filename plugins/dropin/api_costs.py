"""The API of the costs per service and year (/api/t/<tenant>/x/dropin/costs): a year's costs
with each service's total, and a cost entered, changed or removed. Reading needs EVALUATION_READ,
writing COSTS_MANAGE."""

from __future__ import annotations

from velferd.toolkit import db, requires

from . import costs
from .api_kit import blp
from .cost_schemas import CostChanges, CostInput, CostQuery, CostSchema, CostYearSchema
from .manifest import COSTS_MANAGE, EVALUATION_READ


def year_body(year: int) -> dict:
    totals = costs.total_by_service(year)
    return {"year": year, "costs": [costs.body(row) for row in costs.costs(year)], "totals": totals,
            "total": sum(totals.values(), costs.ZERO)}


@blp.get("/costs")
@requires(EVALUATION_READ)
@blp.arguments(CostQuery, location="query")
@blp.response(200, CostYearSchema)
def list_costs(query):
    """A year's costs (this year if `year` is omitted), by service and label, with every
    service's total (0.00 where none) and the year's total, in DKK as exact decimal strings."""
    return year_body(query["year"] or costs.today_year())


@blp.post("/costs")
@requires(COSTS_MANAGE)
@blp.arguments(CostInput)
@blp.response(201, CostSchema)
def create_cost(data):
    """Enter a cost of one service in one year (its label unique there; a 409 otherwise)."""
    created = costs.add_cost(data)
    db.session.commit()
    return costs.body(created)


@blp.patch("/costs/<int:cost_id>")
@requires(COSTS_MANAGE)
@blp.arguments(CostChanges)
@blp.response(200, CostSchema)
def update_cost(changes, cost_id):
    """Change a cost (who changed it is kept as who entered it)."""
    updated = costs.update_cost(costs.cost(cost_id), changes)
    db.session.commit()
    return costs.body(updated)


@blp.delete("/costs/<int:cost_id>")
@requires(COSTS_MANAGE)
@blp.response(204)
def delete_cost(cost_id):
    """Remove a cost entered by mistake."""
    costs.delete_cost(costs.cost(cost_id))
    db.session.commit()

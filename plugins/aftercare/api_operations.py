"""The rota's and the budget's routes on the plugin's API (`api_kit.blp`, mounted at
/api/t/<tenant>/x/aftercare): the pattern and its FTE, a week's rota, assignments, the shifts
nobody is on; the budget years, their lines and financing, the occupancy against the budget's
assumption, and the grant givers' report (JSON here; the CSV is the page's download)."""

from __future__ import annotations

import datetime as dt

from velferd.toolkit import current_tenant, current_user, db, requires, tenant_today

from . import budget, grant_report, rota
from .api_kit import blp
from .manifest import BUDGET_MANAGE, BUDGET_READ, ROTA_MANAGE, ROTA_READ
from .operations_schemas import (
    BudgetLineOutSchema,
    BudgetLineSchema,
    BudgetSchema,
    BudgetYearCreateSchema,
    BudgetYearSchema,
    FinancingLineOutSchema,
    FinancingLineSchema,
    GrantReportSchema,
    OccupancySchema,
    PatternSchema,
    PlanBudgetSchema,
    RotaAssignmentOutSchema,
    RotaAssignmentSchema,
    ShiftSchema,
    ShiftUpdateSchema,
    SlotSchema,
    UncoveredQuery,
    WeekQuery,
    WeekSchema,
)


def _shift_body(shift) -> dict:
    return {**{c: getattr(shift, c) for c in ("id", "weekday", "kind", "starts_at", "ends_at", "active", "note")},
            "hours": rota.shift_hours(shift)}


# --- the rota ---------------------------------------------------------------------------------------

@blp.get("/rota/pattern")
@requires(ROTA_READ)
@blp.response(200, PatternSchema)
def read_pattern():
    """The weekly pattern of shifts (Alta's default created the first time) and the FTE it adds
    up to: hours worked a week / 37.5; the night's on-call from home is listed, not counted."""
    shifts = rota.pattern_of(current_tenant())
    db.session.commit()
    return {"shifts": [_shift_body(shift) for shift in shifts], "fte": rota.fte([s for s in shifts if s.active])}


@blp.patch("/rota/pattern/<int:shift_id>")
@requires(ROTA_MANAGE)
@blp.arguments(ShiftUpdateSchema)
@blp.response(200, ShiftSchema)
def update_shift(data, shift_id):
    """Change a shift's times, whether it is in use, or its note."""
    shift = rota.update_shift(shift_id, data)
    db.session.commit()
    return _shift_body(shift)


@blp.get("/rota/week")
@requires(ROTA_READ)
@blp.arguments(WeekQuery, location="query")
@blp.response(200, WeekSchema)
def read_week(query):
    """The week (Monday–Sunday) of `week` (default: this week): each shift, who works it, the
    ones nobody is on."""
    town = current_tenant()
    week = rota.week_rota(town, query["week"] or tenant_today(town))
    db.session.commit()
    return week


@blp.post("/rota/assignments")
@requires(ROTA_MANAGE)
@blp.arguments(RotaAssignmentSchema)
@blp.response(201, RotaAssignmentOutSchema)
def assign(data):
    """Put a staff member on a shift on a date (replacing whoever was on it)."""
    rota.pattern_of(current_tenant())
    assignment = rota.assign(data, current_user())
    db.session.commit()
    return assignment


@blp.delete("/rota/assignments/<int:assignment_id>")
@requires(ROTA_MANAGE)
@blp.response(204)
def unassign(assignment_id):
    """Take a staff member off a shift; the shift is uncovered again."""
    rota.unassign(assignment_id)
    db.session.commit()


@blp.get("/rota/uncovered")
@requires(ROTA_READ)
@blp.arguments(UncoveredQuery, location="query")
@blp.response(200, SlotSchema(many=True))
def read_uncovered(query):
    """The shifts of `days` days from `from` (default today, 14 days) that nobody is on."""
    town = current_tenant()
    start = query["start"] or tenant_today(town)
    listed = rota.uncovered(start, start + dt.timedelta(days=query["days"]), town)
    db.session.commit()
    return listed


# --- the budget -------------------------------------------------------------------------------------

@blp.get("/budget/years")
@requires(BUDGET_READ)
@blp.response(200, BudgetYearSchema(many=True))
def list_budget_years():
    """The years with a budget."""
    return budget.years()


@blp.post("/budget/years")
@requires(BUDGET_MANAGE)
@blp.arguments(BudgetYearCreateSchema)
@blp.response(201, BudgetSchema)
def create_budget_year(data):
    """An empty budget for a year (409 if it has one)."""
    created = budget.create_year(data["year"], data.get("note"))
    db.session.commit()
    return budget.summary(created)


@blp.post("/budget/plan")
@requires(BUDGET_MANAGE)
@blp.arguments(PlanBudgetSchema)
@blp.response(200, BudgetSchema)
def plan_budget(data):
    """Alta's plan as the year's budget (7.0 Budsjett, 2009 prices): its lines and financing that
    the year lacks are added. Idempotent."""
    created = budget.budget_2009(current_tenant(), data["year"])
    db.session.commit()
    return budget.summary(created)


@blp.get("/budget/<int:year>")
@requires(BUDGET_READ)
@blp.response(200, BudgetSchema)
def read_budget(year):
    """The year's cost lines, financing and totals; `balanced` false when they differ."""
    return budget.summary(budget.year_of(year))


@blp.post("/budget/<int:year>/lines")
@requires(BUDGET_MANAGE)
@blp.arguments(BudgetLineSchema)
@blp.response(200, BudgetLineOutSchema)
def set_budget_line(data, year):
    """Set a cost line of the year (one per kind)."""
    line = budget.set_line(budget.year_of(year), data)
    db.session.commit()
    return line


@blp.delete("/budget/lines/<int:line_id>")
@requires(BUDGET_MANAGE)
@blp.response(204)
def remove_budget_line(line_id):
    """Remove a cost line from its year's budget."""
    budget.remove_line(line_id)
    db.session.commit()


@blp.post("/budget/<int:year>/financing")
@requires(BUDGET_MANAGE)
@blp.arguments(FinancingLineSchema)
@blp.response(200, FinancingLineOutSchema)
def set_financing_line(data, year):
    """Set the financing from a source (one line per source)."""
    line = budget.set_financing(budget.year_of(year), data)
    db.session.commit()
    return line


@blp.delete("/budget/financing/<int:line_id>")
@requires(BUDGET_MANAGE)
@blp.response(204)
def remove_financing_line(line_id):
    """Remove a financing line from its year's budget."""
    budget.remove_financing(line_id)
    db.session.commit()


@blp.get("/budget/<int:year>/occupancy")
@requires(BUDGET_READ)
@blp.response(200, OccupancySchema)
def read_occupancy(year):
    """Each month of the year: occupied and empty flat-months, the empty flats' rent, against the
    budget's assumption of one flat always empty (the budget of the year, if any, gives the rent)."""
    found = next((b for b in budget.years() if b.year == year), None)
    return budget.occupancy_by_month(year, tenant_today(current_tenant()), found)


@blp.get("/budget/<int:year>/report")
@requires(BUDGET_READ)
@blp.response(200, GrantReportSchema)
def read_grant_report(year):
    """The grant givers' report for the year."""
    return grant_report.report(year, tenant_today(current_tenant()))

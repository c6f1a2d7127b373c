"""The API of the individual plan, user participation, the qualification programme, the G table and
the stipend calculator, on the plugin's blueprint (/api/t/<tenant>/x/aftercare/...). Reading needs
READ; the plan and participation PLAN; the programme STIPEND; the G table G_TABLE_MANAGE."""

from __future__ import annotations

from velferd.toolkit import NotFound, current_user, db, requires

from . import g_table, plans, stipend
from .api_kit import blp
from .manifest import G_TABLE_MANAGE, PLAN, READ, STIPEND
from .plan_schemas import (
    GInput,
    GoalChanges,
    GoalInput,
    GoalSchema,
    GQuery,
    GSchema,
    IndividualPlanSchema,
    ParticipationInput,
    ParticipationSchema,
    PartnerInput,
    PartnerSchema,
    PlanInput,
    ProgrammeInput,
    ProgrammeSchema,
    StipendQuery,
    StipendSchema,
)
from .stays import aftercare_case


def _plan_body(case_id: int) -> dict:
    body = plans.plan_body(aftercare_case(case_id))
    if body is None:
        raise NotFound(f"case {case_id} has no individual plan")
    return body


# --- the individual plan --------------------------------------------------------------------------

@blp.get("/cases/<int:case_id>/plan")
@requires(READ)
@blp.response(200, IndividualPlanSchema)
def read_plan(case_id):
    """The case's individual plan: contact person, goals, partners and the resident's participation."""
    return _plan_body(case_id)


@blp.put("/cases/<int:case_id>/plan")
@requires(PLAN)
@blp.arguments(PlanInput)
@blp.response(200, IndividualPlanSchema)
def save_plan(data, case_id):
    """Create the plan with its one contact person (staff here), or change the contact person."""
    plans.save_plan(aftercare_case(case_id), data)
    db.session.commit()
    return _plan_body(case_id)


@blp.post("/cases/<int:case_id>/plan/goals")
@requires(PLAN)
@blp.arguments(GoalInput)
@blp.response(201, GoalSchema)
def add_goal(data, case_id):
    """Add a goal to the case's individual plan."""
    goal = plans.add_goal(aftercare_case(case_id), data)
    db.session.commit()
    return goal


@blp.patch("/cases/<int:case_id>/plan/goals/<int:goal_id>")
@requires(PLAN)
@blp.arguments(GoalChanges)
@blp.response(200, GoalSchema)
def update_goal(changes, case_id, goal_id):
    """Change a goal's text, target date or status."""
    goal = plans.update_goal(aftercare_case(case_id), goal_id, changes)
    db.session.commit()
    return goal


@blp.post("/cases/<int:case_id>/plan/partners")
@requires(PLAN)
@blp.arguments(PartnerInput)
@blp.response(201, PartnerSchema)
def add_partner(data, case_id):
    """A service or partner in the plan (NAV, Aksis, Red Cross, AN, RIO, Mental helse, the home
    municipality, another) and what it does."""
    partner = plans.add_partner(aftercare_case(case_id), data)
    db.session.commit()
    return partner


@blp.post("/cases/<int:case_id>/plan/participation")
@requires(PLAN)
@blp.arguments(ParticipationInput)
@blp.response(201, ParticipationSchema)
def record_participation(data, case_id):
    """The resident consulted when the service was shaped (sosialtjenesteloven § 8-4)."""
    row = plans.record_participation(aftercare_case(case_id), data, current_user())
    db.session.commit()
    return row


# --- the qualification programme ------------------------------------------------------------------

def _programme_body(case_id: int) -> dict:
    body = plans.programme_body(aftercare_case(case_id))
    if body is None:
        raise NotFound(f"case {case_id} has no qualification programme")
    return body


@blp.get("/cases/<int:case_id>/programme")
@requires(READ)
@blp.response(200, ProgrammeSchema)
def read_programme(case_id):
    """The programme with the expected stipend today and month by month."""
    return _programme_body(case_id)


@blp.put("/cases/<int:case_id>/programme")
@requires(STIPEND)
@blp.arguments(ProgrammeInput)
@blp.response(200, ProgrammeSchema)
def save_programme(data, case_id):
    """Record (or correct) the qualification programme NAV granted."""
    plans.save_programme(aftercare_case(case_id), data)
    db.session.commit()
    return _programme_body(case_id)


@blp.get("/stipend")
@requires(READ)
@blp.arguments(StipendQuery, location="query")
@blp.response(200, StipendSchema)
def calculate_stipend(query):
    """The expected stipend for a birth date, a day and a number of children (from the G table)."""
    rate = stipend.CHILD_RATE
    if query["child_rate_per_day"] is not None:
        rate = stipend.ChildRate(query["child_rate_per_day"], rate.days_per_month, "given")
    return stipend.expected_stipend(query["birth_date"], query["on"], query["children"], rate)


# --- the G table ----------------------------------------------------------------------------------

@blp.get("/g-table")
@requires(READ)
@blp.response(200, GSchema(many=True))
def list_g():
    """The tenant's G table, oldest first, each G with its source."""
    return g_table.rows()


@blp.get("/g-table/on")
@requires(READ)
@blp.arguments(GQuery, location="query")
@blp.response(200, GSchema)
def g_on(query):
    """The G in force on a day; 422 naming the missing year when the table lacks it."""
    return g_table.g_on(query["on"])[1]


@blp.post("/g-table")
@requires(G_TABLE_MANAGE)
@blp.arguments(GInput)
@blp.response(200, GSchema)
def enter_g(data):
    """Enter or correct the G from a day (normally 1 May), naming its source."""
    row = g_table.enter_g(data["effective_from"], data["amount"], data["source"], current_user())
    db.session.commit()
    return row


@blp.post("/g-table/published")
@requires(G_TABLE_MANAGE)
@blp.response(200, GSchema(many=True))
def load_published_g():
    """Load NAV's published G values (with their sources) for the days not yet in the table."""
    g_table.load_published(current_user())
    db.session.commit()
    return g_table.rows()

"""What a case's disposal takes with it reaches every row about it, however far from the case: in
the demo of Alta's aftercare, a plan on the case and the plan's goals, partners and participation
(two steps from the case), found by the same foreign keys the read audit follows."""

from __future__ import annotations

import sqlalchemy as sa

from tests.test_need_to_know_plugins import demo_world  # noqa: F401  (the fixture)
from velferd.db import db
from velferd.models import Case
from velferd.person_links import person_link
from velferd.retention.records import rows_of
from velferd.tenancy import tenant_scope


def test_a_cases_rows_include_those_two_steps_away(demo_world):  # noqa: F811
    from velferd_aftercare.plan_models import IndividualPlan, PlanGoal

    app, towns = demo_world
    town, _ = towns["aftercare"]
    with app.app_context(), tenant_scope(town.tenant):
        case_id = db.session.scalar(sa.select(IndividualPlan.case_id).join(
            PlanGoal, PlanGoal.plan_id == IndividualPlan.id).limit(1))
        assert case_id is not None, "the aftercare demo has a plan with goals"
        tables = [table for table, _ in rows_of("case", case_id)]
        goals = set(db.session.scalars(sa.select(PlanGoal.id).join(
            IndividualPlan, PlanGoal.plan_id == IndividualPlan.id).where(IndividualPlan.case_id == case_id)))
        found_goals = {row.id for table, row in rows_of("case", case_id) if table == PlanGoal.__tablename__}
        assert person_link(PlanGoal).target is IndividualPlan  # two steps: goal → plan → case
        assert tables[0] == Case.__tablename__ and IndividualPlan.__tablename__ in tables
        assert found_goals == goals and goals

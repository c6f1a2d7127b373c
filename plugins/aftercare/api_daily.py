"""The daily job on demand: ``POST /daily/run`` raises today's (or a given day's) warnings at once,
as the scheduler's run would (`daily`), and says how many of each were new."""

from __future__ import annotations

from velferd.toolkit import current_tenant, db, fields, ma, requires, tenant_today

from . import daily
from .api_kit import blp
from .manifest import DECIDE
from .strict import Strict


class DailyRunSchema(Strict):
    on = fields.Date(load_default=None, metadata={"description": "The day to run for (default: today in the "
                                                                 "municipality's zone)"})


class DailyRunResultSchema(ma.Schema):
    on = fields.Date()
    stay_limit_warnings = fields.Integer()
    trial_period_warnings = fields.Integer()
    uncovered_shifts = fields.Integer()


@blp.post("/daily/run")
@requires(DECIDE)
@blp.arguments(DailyRunSchema)
@blp.response(200, DailyRunResultSchema)
def run_daily(data):
    """Raise the stay-limit warnings, trial periods ending and uncovered shifts now."""
    tenant = current_tenant()
    on = data["on"] or tenant_today(tenant)
    raised = daily.run_now(tenant, on)
    db.session.commit()
    return {"on": on, **raised}

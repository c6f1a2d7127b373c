"""Asking for a period's invoice run: checked (a month that can be billed), started as a
background job, and answered with the run as it stands.

Why the commit is here: the job must be committed before a worker can see it; with no broker
it has run already, in this process, and the run it made is read back for the answer. The
API's ``POST /invoice-runs`` and the finance page's form both call `request_run`.
"""

from __future__ import annotations

from typing import Any

from velferd import audit
from velferd.billing.periods import billable_period
from velferd.billing.run import find_run_for
from velferd.billing.tasks import MONTHLY_RUN
from velferd.db import db
from velferd.jobs.outbox import enqueue
from velferd.models import Tenant, User


def request_run(tenant: Tenant, period_text: str, actor: User | None) -> dict[str, Any]:
    """{job_run_id, period, state (the job's), run (the period's InvoiceRun or None)}; 422
    (ValidationFailed on ``period``) for a month that is not one or cannot be billed yet."""
    period = billable_period(tenant, period_text)
    job = enqueue(MONTHLY_RUN, tenant=tenant, kwargs={"period": period.name}, actor=actor)
    audit.record("invoice_run.requested", "invoice_run", None, details={"period": period.name, "job_run_id": job.id})
    db.session.commit()
    db.session.refresh(job)  # with no broker the run has already happened, in this process
    return {"job_run_id": job.id, "period": period.name, "state": job.state, "run": find_run_for(period)}

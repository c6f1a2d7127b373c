"""Billing's background tasks and its schedule, registered with the jobs registry on import.

``billing.monthly_run`` bills a period (kwargs ``period="YYYY-MM"``). Scheduled, it has no
period: the entry fires daily at 22:00 on days 28–31 (Celery's zone, Europe/Oslo — Copenhagen
keeps the same clock), because a crontab cannot say "last day of the month"; the task then bills
only when tomorrow is the 1st in the tenant's own zone, and bills **the month that ends that
day** (monthly in arrears, on the last day). On other days it returns without doing anything.

``billing.deliver_invoice`` delivers one invoice (kwargs ``invoice_id``); see billing.delivery.
``billing.export_documents`` writes a run's next finance export file (kwargs ``run_id``); see
billing.exports. Every sweep also asks for the deliveries and the exports that nobody will make
(billing.undelivered).
"""

from __future__ import annotations

from typing import Any

from velferd.billing.delivery import deliver_invoice
from velferd.billing.exports import EXPORT_TASK, export_documents
from velferd.billing.periods import billable_period, month_ending_today
from velferd.billing.run import run_period
from velferd.billing.undelivered import request_missing_deliveries, request_missing_exports
from velferd.db import db
from velferd.jobs.registry import core_beat_entry, core_sweep_step, core_task
from velferd.models import User
from velferd.plugins.specs import BeatEntry, TaskContext, TaskSpec

MONTHLY_RUN = "billing.monthly_run"
DELIVER = "billing.deliver_invoice"


def monthly_run(ctx: TaskContext, period: str | None = None) -> dict[str, Any]:
    if period is None:
        month = month_ending_today(ctx.tenant)
        if month is None:
            return {"skipped": f"today is not the last day of the month in {ctx.tenant.time_zone}"}
    else:
        month = billable_period(ctx.tenant, period)
    actor = db.session.get(User, ctx.job.requested_by_id) if ctx.job.requested_by_id else None
    return run_period(ctx.tenant, month, actor).as_json()


core_task(TaskSpec(MONTHLY_RUN, monthly_run, idempotent=True, max_attempts=3, backoff_seconds=300,
                   title="Monthly invoice run"))
core_task(TaskSpec(DELIVER, deliver_invoice, idempotent=True, max_attempts=5, backoff_seconds=60,
                   title="Deliver an invoice"))
core_task(TaskSpec(EXPORT_TASK, export_documents, idempotent=True, max_attempts=5, backoff_seconds=60,
                   title="Write a run's next finance export file"))
core_beat_entry(BeatEntry("billing-monthly-run", MONTHLY_RUN, "0 22 28-31 * *"))
core_sweep_step("billing-undelivered-invoices", request_missing_deliveries)
core_sweep_step("billing-unexported-documents", request_missing_exports)

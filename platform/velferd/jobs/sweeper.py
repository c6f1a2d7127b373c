"""The outbox sweeper: sends the jobs that were committed but never reached the broker.

A job stays ``pending`` when the broker was down at commit time, ``retrying`` past its time
when the delayed retry message was lost, ``queued`` for long when the broker lost its message.
The sweeper runs every minute from beat, once when a worker starts, and on demand (``velferd
jobs sweep``). Sending twice is harmless — only a job's current message runs it (see
`velferd.jobs.dispatch`) — so the sweeper needs no lock. It reads the outbox one tenant at a
time inside `tenant_scope`, so it passes row-level security like any other task.

It also ends the jobs whose worker was lost: a job still ``running`` long after it started
(``JOBS_LOST_AFTER_SECONDS``, longer than Redis takes to redeliver an idempotent task's message)
is marked failed with the reason, so it shows up for the tenant's admins and can be retried
instead of staying "running" for ever.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from velferd.db import db, utcnow
from velferd.jobs.dispatch import Dispatch, dispatch, job_tenant, uses_broker
from velferd.models import JobRun, Tenant
from velferd.tenancy import tenant_scope
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)


def sweep(now: dt.datetime | None = None, pending_after: float | None = None) -> int:
    """Send every tenant's due jobs; returns how many were sent (or, with no broker, run).
    `pending_after` (seconds) overrides how old a pending row must be — young ones are still
    being sent by the request that wrote them."""
    app = current_app._get_current_object()
    config = app.config
    now = now or utcnow()
    pending_after = config["JOBS_SWEEP_PENDING_AFTER_SECONDS"] if pending_after is None else pending_after
    broker = uses_broker(app)
    due = sa.or_(
        sa.and_(JobRun.state == "pending", JobRun.created_at <= now - dt.timedelta(seconds=pending_after)),
        sa.and_(JobRun.state == "retrying", JobRun.next_attempt_at
                <= now - dt.timedelta(seconds=config["JOBS_RETRY_GRACE_SECONDS"] if broker else 0)),
    )
    if broker:
        resend_after = dt.timedelta(seconds=config["JOBS_RESEND_QUEUED_AFTER_SECONDS"])
        due = sa.or_(due, sa.and_(JobRun.state == "queued", JobRun.enqueued_at <= now - resend_after))
    sent = 0
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(job_tenant(tenant_id)):
            _fail_lost_jobs(now, dt.timedelta(seconds=config["JOBS_LOST_AFTER_SECONDS"]))
            job_ids = db.session.scalars(sa.select(JobRun.id).where(due).order_by(JobRun.id)).all()
            db.session.commit()
        for job_id in job_ids:
            try:
                sent += dispatch(app, Dispatch(tenant_id, job_id))
            except Exception:
                log.exception("sweeper: job %s of tenant %s could not be sent", job_id, tenant_id)
    if sent:
        log.info("sweeper sent %s job(s)", sent)
    return sent


def _fail_lost_jobs(now: dt.datetime, lost_after: dt.timedelta) -> None:
    """Fail the tenant's jobs that have been running for longer than any worker takes."""
    lost = db.session.execute(
        sa.update(JobRun).where(JobRun.state == "running", JobRun.started_at <= now - lost_after)
        .values(state="failed", finished_at=now, next_attempt_at=None,
                error=f"worker lost: still running {lost_after} after it started; retry it if it should run")
        .execution_options(synchronize_session=False)).rowcount
    if lost:
        log.warning("sweeper: %s job(s) lost their worker and are marked failed", lost)

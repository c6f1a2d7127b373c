"""The outbox sweeper: sends the jobs that were committed but never reached a worker, and
recovers the ones whose worker is gone.

A job stays ``pending`` when the broker was down at commit time, ``retrying`` past its time
when the delayed retry message was lost, ``queued`` when Redis lost its message (a restart
without persistence) or a worker died holding it, ``running`` when its worker died under it.
The sweeper runs every ``JOBS_SWEEP_INTERVAL_SECONDS`` from beat, once when a worker starts,
and on demand (``velferd jobs sweep``). Sending twice is harmless — only a job's current
message runs it (see `velferd.jobs.dispatch`) — so the sweeper needs no lock. It reads the
outbox one tenant at a time inside `tenant_scope`, so it passes row-level security like any
other task. Per tenant it

* recovers the jobs whose heartbeat stopped (`velferd.jobs.recovery`): an idempotent one is
  sent again, any other is failed with the reason, for a person to retry;
* runs the core modules' own checks (`velferd.jobs.registry.core_sweep_step`), such as
  billing's deliveries that a killed run never asked for;
* sends the pending and overdue retrying jobs, and the queued ones that have waited
  ``JOBS_RESEND_QUEUED_AFTER_SECONDS`` and whose message is no longer waiting in the queue
  (`velferd.jobs.broker_queue`).

Recovery bounds with the defaults: a job whose worker died is sent again (or failed) within
``JOBS_HEARTBEAT_TIMEOUT_SECONDS + JOBS_SWEEP_INTERVAL_SECONDS`` (45 + 30 s); a message Redis
lost, or a killed worker held, is sent again within ``JOBS_RESEND_QUEUED_AFTER_SECONDS +
JOBS_SWEEP_INTERVAL_SECONDS`` (60 + 30 s).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import redis
import sqlalchemy as sa
from flask import Flask, current_app

from velferd.db import db, utcnow
from velferd.jobs.broker_queue import waiting_message_ids
from velferd.jobs.dispatch import Dispatch, dispatch, job_tenant, uses_broker
from velferd.jobs.recovery import recover_dead_jobs
from velferd.jobs.registry import sweep_steps
from velferd.models import JobRun, Tenant
from velferd.redaction import redacting_logger
from velferd.tenancy import tenant_scope

log = redacting_logger(__name__)


@dataclass(frozen=True)
class QueuedJob:
    """A queued job that has waited long enough to be suspected of having lost its message."""

    tenant_id: int
    job_id: int
    message_id: str | None


def sweep(now: dt.datetime | None = None, pending_after: float | None = None) -> int:
    """Send every tenant's due jobs; returns how many were sent (or, with no broker, run),
    those the sweep steps asked for included. `pending_after` (seconds) overrides how old a
    pending row must be — young ones are still being sent by the request that wrote them."""
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
    queued_long = sa.and_(JobRun.state == "queued", JobRun.enqueued_at
                          <= now - dt.timedelta(seconds=config["JOBS_RESEND_QUEUED_AFTER_SECONDS"]))
    sent, suspects = 0, []
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(job_tenant(tenant_id)):
            job_ids = recover_dead_jobs(now, config)
            job_ids += db.session.scalars(sa.select(JobRun.id).where(due).order_by(JobRun.id)).all()
            if broker:
                suspects += [QueuedJob(tenant_id, job_id, message_id) for job_id, message_id in db.session.execute(
                    sa.select(JobRun.id, JobRun.message_id).where(queued_long).order_by(JobRun.id))]
            db.session.commit()
            sent += _run_sweep_steps(tenant_id)
        sent += _send(app, tenant_id, job_ids)
    for job in _lost_in_the_broker(app, suspects):
        sent += _send(app, job.tenant_id, [job.job_id])
    if sent:
        log.info("sweeper sent %s job(s)", sent)
    return sent


def _run_sweep_steps(tenant_id: int) -> int:
    """The core modules' checks for the tenant in scope, each committed on its own (its jobs are
    sent after that commit); one that fails is logged and left to the next sweep."""
    asked = 0
    for name, step in sweep_steps().items():
        try:
            asked += step()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("sweeper: step %s failed for tenant %s", name, tenant_id)
    return asked


def _send(app: Flask, tenant_id: int, job_ids: list[int]) -> int:
    sent = 0
    for job_id in job_ids:
        try:
            sent += dispatch(app, Dispatch(tenant_id, job_id))
        except Exception:
            log.exception("sweeper: job %s of tenant %s could not be sent", job_id, tenant_id)
    return sent


def _lost_in_the_broker(app: Flask, suspects: list[QueuedJob]) -> list[QueuedJob]:
    """The suspects whose message is not waiting in the queue (none when it cannot be read)."""
    if not suspects:
        return []
    try:
        waiting = waiting_message_ids(app)
    except redis.RedisError as error:
        log.warning("sweeper: the queue could not be read (%s); queued jobs are checked next time",
                    type(error).__name__)
        return []
    return [job for job in suspects if job.message_id not in waiting]

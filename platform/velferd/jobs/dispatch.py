"""Handing a recorded job to whatever runs it: the broker in production, this process otherwise.

Sending is three steps, in this order, so that a message can never run a job it was not meant
for: (1) write a new ``message_id`` on the row and commit, (2) send the message with that id,
(3) mark a pending row ``queued``. A message whose id is no longer the row's is a stale
duplicate and is skipped by the runner. A failed send (broker down) leaves the row as it was —
pending, or retrying — and the sweeper sends it later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

from velferd.db import db, utcnow
from velferd.jobs.registry import find_task
from velferd.models import JobRun, Tenant
from velferd.tenancy import get_owned, tenant_scope
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)

RUN_JOB = "velferd.run_job"
RUN_IDEMPOTENT_JOB = "velferd.run_idempotent_job"
SENDABLE_STATES = ("pending", "queued", "retrying")
#: ``app.extensions`` key of the function that runs a job in this process, the embedded default's
#: broker: `velferd.jobs.init_app` puts the runner's `run_job` there, as it hands the same
#: function to Celery for the broker. Looked up rather than imported, because the runner sends
#: its retries through the outbox, which dispatches here: an import would close a circle.
RUN_HERE = "velferd.jobs.run_here"


@dataclass(frozen=True)
class Dispatch:
    tenant_id: int
    job_id: int
    countdown: float = 0


def job_tenant(tenant_id: int) -> Tenant | None:
    """The tenant a job runs as, detached from the session: a job rolls back its failed work,
    and a rollback would expire a tenant still in the session — whose reload needs the tenant
    in scope to begin the transaction that reloads it."""
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is not None:
        db.session.expunge(tenant)
    db.session.commit()
    return tenant


def uses_broker(app: Flask) -> bool:
    return bool(app.config.get("CELERY_BROKER_URL"))


def celery_task_name(task: str) -> str:
    """Idempotent tasks go to the late-acknowledged Celery task, the rest to the early one."""
    registered = find_task(task)
    return RUN_IDEMPOTENT_JOB if registered is not None and registered.spec.idempotent else RUN_JOB


def dispatch(app: Flask, item: Dispatch) -> bool:
    """Send the job to the broker, or with no broker (the embedded default) run it here and now,
    in a fresh app context and transaction. A delayed in-process retry is left to the sweeper.
    True if the job was sent or run."""
    if uses_broker(app):
        return send(app, item)
    if item.countdown > 0:
        return False
    run_here = app.extensions[RUN_HERE]
    with app.app_context():
        return run_here(item.tenant_id, item.job_id) != "skipped"


def send(app: Flask, item: Dispatch) -> bool:
    """Publish the job's message; True if the broker took it."""
    with app.app_context():
        tenant = job_tenant(item.tenant_id)
        if tenant is None:
            return False
        with tenant_scope(tenant):
            job = get_owned(JobRun, item.job_id)
            if job is None or job.state not in SENDABLE_STATES:
                db.session.rollback()
                return False  # rolled back with a savepoint, or already run
            message_id, last_enqueued_at = uuid.uuid4().hex, job.enqueued_at
            job.message_id, job.enqueued_at = message_id, utcnow()
            task_name = celery_task_name(job.task)
            db.session.commit()
            try:
                app.extensions["celery"].send_task(
                    task_name, args=[item.tenant_id, item.job_id], task_id=message_id,
                    countdown=item.countdown or None, ignore_result=True,
                )
            except Exception as error:  # kombu raises OperationalError, redis ConnectionError, …
                log.warning("broker unavailable, job %s of tenant %s stays %s for the sweeper: %s",
                            item.job_id, item.tenant_id, job.state, error)
                db.session.execute(
                    sa.update(JobRun).where(JobRun.id == item.job_id, JobRun.message_id == message_id)
                    .values(enqueued_at=last_enqueued_at))
                db.session.commit()
                return False
            # the worker may have started it already: only a row still pending becomes queued
            db.session.execute(
                sa.update(JobRun).where(JobRun.id == item.job_id, JobRun.state == "pending")
                .values(state="queued"))
            db.session.commit()
            return True

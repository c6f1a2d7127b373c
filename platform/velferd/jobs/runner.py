"""Running one recorded job: the body of the one Celery task the worker runs (and of the
in-process run when there is no broker).

The job runs as its tenant: `tenant_scope` sets the tenant on ``g`` and PostgreSQL's RLS setting
at the start of every transaction. The run is claimed with a conditional update, so two
messages for the same job (a redelivery, a duplicate send) cannot both run it; the task then
runs in its own transaction, and its outcome is recorded in another. A failure rolls the task's
work back, keeps the error's text on the record (the traceback goes to the log, not to users)
and schedules the next attempt with exponential backoff until ``max_attempts``. While a broker
message runs a job, its heartbeat is renewed (`velferd.jobs.heartbeat`), so a dead worker is
noticed within a minute.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
import uuid
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from flask import current_app

from velferd import log_context
from velferd.db import db, utcnow
from velferd.jobs.dispatch import job_tenant
from velferd.jobs.heartbeat import Heartbeat
from velferd.jobs.outbox import dispatch_after_commit
from velferd.jobs.registry import RegisteredTask, find_task
from velferd.log_config import JOB_LOGGER
from velferd.log_format import LOG_FIELDS
from velferd.models import JobRun, Tenant
from velferd.plugins.enablement import enabled_plugin_ids, settings_for
from velferd.plugins.specs import TaskContext
from velferd.redaction import describe_error, redacting_logger
from velferd.tenancy import get_owned, tenant_scope

log = redacting_logger(__name__)
run_log = logging.getLogger(JOB_LOGGER)
CLAIMABLE_STATES = ("pending", "queued", "retrying")
ERROR_LIMIT = 2000


def run_job(tenant_id: int, job_id: int, message_id: str | None = None) -> str:
    """Run job `job_id` of tenant `tenant_id` once; returns the state it was left in (or
    ``skipped``). `message_id` is the broker message's id; None means an in-process run.

    Every line logged meanwhile carries the job's request id, tenant, id and task, and the run
    ends with one line on ``velferd.jobs.runs``: its state, attempt and duration."""
    started = time.perf_counter()
    tenant = job_tenant(tenant_id)
    if tenant is None:
        log.error("job %s: no tenant %s", job_id, tenant_id)
        return "skipped"
    with tenant_scope(tenant):
        job = get_owned(JobRun, job_id)
        fields = {"request_id": job.request_id if job is not None else None, "tenant": tenant.slug,
                  "job_id": job_id, "task": job.task if job is not None else None}
        with log_context.bound(**fields):
            state, attempt = _run(tenant, job, job_id, message_id)
            run_log.info("job %s %s %s", job_id, fields["task"], state, extra={LOG_FIELDS: {
                "type": "job", "state": state, "attempt": attempt,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3)}})
    return state


def _run(tenant: Tenant, job: JobRun | None, job_id: int, message_id: str | None) -> tuple[str, int | None]:
    """The run itself: its final state and which attempt it was (None if not run)."""
    registered = find_task(job.task) if job is not None else None
    if job is None or not _claim(job, registered, message_id):
        db.session.rollback()
        return "skipped", None
    attempt = job.attempts
    refusal = _refusal(tenant, job, registered)
    if refusal is not None:
        return _finish(job, "failed", error=refusal), attempt
    context = TaskContext(tenant=tenant, settings=MappingProxyType(_settings(tenant, job)), job=job)
    try:
        with _heartbeat(tenant, job_id, message_id):
            result = registered.spec.run(context, **job.kwargs)
            db.session.flush()
    except Exception as error:
        db.session.rollback()
        log.exception("job %s (%s) of tenant %s failed on attempt %s", job_id, job.task, tenant.slug, attempt)
        return _failed(get_owned(JobRun, job_id), registered, error), attempt
    return _finish(job, "succeeded", result=_json(result)), attempt


def _heartbeat(tenant: Tenant, job_id: int, message_id: str | None):
    """The job's heartbeat while a broker message runs it; nothing for an in-process run."""
    if message_id is None:
        return contextlib.nullcontext()
    return Heartbeat(current_app._get_current_object(), tenant, job_id, message_id)


def _claim(job: JobRun, registered: RegisteredTask | None, message_id: str | None) -> bool:
    """Move the job to running, if this call is the one meant to run it.

    In-process runs (no message) may run any job not yet running or finished. A message runs
    the job only if it is the job's current message: a stale duplicate is skipped. A message
    finding its job already ``running`` is a redelivery (a lost worker's message, or one Redis
    handed out again after its visibility timeout); it runs the job again only if the task is
    idempotent and the job's heartbeat has stopped — a job at work on another worker is left
    alone, and one whose worker died is otherwise recovered by the sweeper.
    """
    now = utcnow()
    as_read = JobRun.state.in_(CLAIMABLE_STATES)  # the row is still as read: nobody claimed it since
    if job.state in CLAIMABLE_STATES:
        if message_id is not None and job.message_id not in (None, message_id):
            log.warning("job %s: message %s is stale (current %s); skipped", job.id, message_id, job.message_id)
            return False
    elif job.state == "running":
        idempotent = registered is not None and registered.spec.idempotent
        if not (idempotent and message_id is not None and job.message_id == message_id and _heartbeat_stopped(job, now)):
            log.warning("job %s is already running; message %s skipped", job.id, message_id)
            return False
        log.warning("job %s: redelivered after its worker was lost; running it again (idempotent)", job.id)
        as_read = sa.and_(JobRun.state == "running", _same(JobRun.heartbeat_at, job.heartbeat_at))
    else:
        log.warning("job %s has %s; message %s changes nothing", job.id, job.state, message_id)
        return False
    claimed = db.session.execute(
        sa.update(JobRun)
        # pending → queued may happen under our feet (the sender marks it after sending): not a conflict
        .where(JobRun.id == job.id, _same(JobRun.message_id, job.message_id), as_read)
        .values(state="running", attempts=JobRun.attempts + 1, started_at=now, finished_at=None,
                heartbeat_at=now if message_id is not None else None,
                message_id=message_id if message_id is not None else JobRun.message_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return False
    db.session.refresh(job)
    return True


def _heartbeat_stopped(job: JobRun, now: dt.datetime) -> bool:
    """No heartbeat for longer than ``JOBS_HEARTBEAT_TIMEOUT_SECONDS`` (a run from before
    heartbeats, with none, counts as stopped: its message came back because its worker was lost)."""
    timeout = dt.timedelta(seconds=current_app.config["JOBS_HEARTBEAT_TIMEOUT_SECONDS"])
    return job.heartbeat_at is None or job.heartbeat_at <= now - timeout


def _same(column, value):
    return column.is_(None) if value is None else column == value


def _refusal(tenant: Tenant, job: JobRun, registered: RegisteredTask | None) -> str | None:
    if registered is None:
        return f"no task {job.task!r} is declared any more; not run"
    if job.plugin is not None and job.plugin not in enabled_plugin_ids(tenant):
        return f"skipped: plugin '{job.plugin}' is no longer enabled for {tenant.name}; not run"
    return None


def _settings(tenant: Tenant, job: JobRun) -> dict[str, Any]:
    return settings_for(tenant, job.plugin) if job.plugin is not None else {}


def _json(result: Any) -> Any:
    return json.loads(json.dumps(result, default=str))


def _finish(job: JobRun, state: str, *, result: Any = None, error: str | None = None) -> str:
    job.state, job.result, job.error = state, result, error
    job.finished_at = utcnow()
    job.next_attempt_at = None
    db.session.commit()
    return state


def is_permanent(error: Exception) -> bool:
    """An error that says retrying cannot help (``permanent = True`` on it or its class, e.g. a
    mail server's 5xx refusal): the attempt it ended is the job's last."""
    return bool(getattr(error, "permanent", False))


def _failed(job: JobRun, registered: RegisteredTask, error: Exception) -> str:
    text = describe_error(error)[:ERROR_LIMIT]
    if job.attempts >= job.max_attempts or is_permanent(error):
        return _finish(job, "failed", error=text)
    delay = backoff_seconds(registered.spec.backoff_seconds, job.attempts)
    job.state, job.error = "retrying", text
    job.finished_at = utcnow()
    job.next_attempt_at = job.finished_at + dt.timedelta(seconds=delay)
    job.message_id = uuid.uuid4().hex  # a late duplicate of the failed attempt's message is now stale
    dispatch_after_commit(job.tenant_id, job.id, countdown=delay)
    db.session.commit()
    return "retrying"


def backoff_seconds(base: int, attempts_made: int) -> int:
    """base, 2·base, 4·base, … after the 1st, 2nd, 3rd failed attempt."""
    return base * 2 ** max(attempts_made - 1, 0)

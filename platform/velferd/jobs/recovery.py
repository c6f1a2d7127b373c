"""Recovering the jobs whose worker is gone: found by the sweeper, one tenant at a time.

A job still ``running`` whose heartbeat (`velferd.jobs.heartbeat`) stopped more than
``JOBS_HEARTBEAT_TIMEOUT_SECONDS`` ago has nobody running it any more: its worker was killed,
its machine lost, or the database went away under it. What happens next depends on whether
running it again is safe:

* an **idempotent** task with attempts left goes back to ``retrying`` and is sent again at once
  (a new message: a late redelivery of the old one is then stale and skipped);
* a task that is **not idempotent** — or has used its last attempt — is marked ``failed`` with
  the reason. It may have done part of its work, so it is never run twice by itself; the
  tenant's admin sees why and retries it if it should run.

A job run inside the web process (no broker) has no heartbeat; one of those still running
``JOBS_LOST_AFTER_SECONDS`` after it started is failed the same way.

Each change is a conditional update on the state and heartbeat that were read, so a job whose
worker beat again in the meantime, or that another sweeper already recovered, is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from velferd.db import db
from velferd.jobs.registry import find_task
from velferd.models import JobRun
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)


def recover_dead_jobs(now: dt.datetime, config: Mapping[str, Any]) -> list[int]:
    """Recover the current tenant's jobs whose worker is gone; returns the ids to send again.
    The caller commits."""
    silent_since = now - dt.timedelta(seconds=config["JOBS_HEARTBEAT_TIMEOUT_SECONDS"])
    dead = db.session.scalars(sa.select(JobRun).where(
        JobRun.state == "running", JobRun.heartbeat_at.is_not(None), JobRun.heartbeat_at <= silent_since)
        .order_by(JobRun.id)).all()
    to_send = []
    for job in dead:
        since = f"no heartbeat since {job.heartbeat_at.isoformat(timespec='seconds')}"
        idempotent = _idempotent(job)
        if idempotent and job.attempts < job.max_attempts:
            if _recover(job, now, state="retrying", next_attempt_at=now,
                        error=f"worker lost ({since}); sent again, attempt {job.attempts + 1} of {job.max_attempts}"):
                to_send.append(job.id)
        elif not idempotent:
            _recover(job, now, state="failed", finished_at=now, next_attempt_at=None,
                     error=f"worker lost while running ({since}); not run again because the task is not "
                           "idempotent and may have done part of its work: retry it if it should run")
        else:
            _recover(job, now, state="failed", finished_at=now, next_attempt_at=None,
                     error=f"worker lost on the last attempt ({since}); retry it if it should run")
    _fail_jobs_lost_in_process(now, dt.timedelta(seconds=config["JOBS_LOST_AFTER_SECONDS"]))
    if dead:
        log.warning("sweeper: %s job(s) lost their worker; %s sent again", len(dead), len(to_send))
    return to_send


def _idempotent(job: JobRun) -> bool:
    registered = find_task(job.task)
    return registered is not None and registered.spec.idempotent


def _recover(job: JobRun, now: dt.datetime, **values) -> bool:
    """Move `job` on, only if it is still running with the heartbeat that was read."""
    return db.session.execute(
        sa.update(JobRun).where(JobRun.id == job.id, JobRun.state == "running", JobRun.heartbeat_at == job.heartbeat_at)
        .values(**values).execution_options(synchronize_session=False)).rowcount == 1


def _fail_jobs_lost_in_process(now: dt.datetime, lost_after: dt.timedelta) -> None:
    """Fail the jobs without a heartbeat (run in a web process) running longer than any takes."""
    lost = db.session.execute(
        sa.update(JobRun).where(JobRun.state == "running", JobRun.heartbeat_at.is_(None),
                                JobRun.started_at <= now - lost_after)
        .values(state="failed", finished_at=now, next_attempt_at=None,
                error=f"worker lost: still running {lost_after} after it started; retry it if it should run")
        .execution_options(synchronize_session=False)).rowcount
    if lost:
        log.warning("sweeper: %s job(s) run in-process lost their process and are marked failed", lost)

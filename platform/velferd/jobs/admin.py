"""What a tenant's admin (through the API) or the operator (through the CLI) does with job
records: list them, read one, retry a failed one."""

from __future__ import annotations

import sqlalchemy as sa

from velferd import audit
from velferd.db import db
from velferd.errors import Conflict
from velferd.jobs.outbox import enqueue
from velferd.models import JobRun, Tenant, User
from velferd.tenancy import require_owned


def list_jobs(*, state: str | None = None, task: str | None = None, before_id: int | None = None,
              limit: int = 50) -> list[JobRun]:
    """The current tenant's jobs, newest first (keyset paging on the id)."""
    statement = sa.select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if state is not None:
        statement = statement.where(JobRun.state == state)
    if task is not None:
        statement = statement.where(JobRun.task == task)
    if before_id is not None:
        statement = statement.where(JobRun.id < before_id)
    return list(db.session.scalars(statement))


def find_job(job_id: int) -> JobRun:
    return require_owned(JobRun, job_id, "job")


def retry_job(tenant: Tenant, job_id: int, actor: User | None) -> JobRun:
    """Run a failed job again as a new job that points at it (the failure stays on record).
    The new job is sent after the caller commits. 409 unless the job failed, or while an earlier
    retry of it has not failed (so a double click runs it once)."""
    job = find_job(job_id)
    if job.state != "failed":
        raise Conflict(f"job {job.id} is {job.state}; only a failed job can be retried")
    pending_retry = db.session.scalar(sa.select(JobRun).where(
        JobRun.retry_of_id == job.id, JobRun.state != "failed").limit(1))
    if pending_retry is not None:
        raise Conflict(f"job {job.id} is already being retried as job {pending_retry.id} ({pending_retry.state})")
    retry = enqueue(job.task, tenant=tenant, kwargs=job.kwargs, actor=actor, retry_of=job)
    audit.record("job.retried", "job_run", retry.id, details={"retry_of": job.id, "task": job.task})
    return retry

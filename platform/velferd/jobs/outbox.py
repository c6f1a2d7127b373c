"""Asking for a job: `enqueue` writes the job's record in the caller's transaction and sends it
only once that transaction has committed.

The `JobRun` row is the outbox. It is written ``pending`` with the caller's work, so the job
exists exactly when that work was committed, and a rollback leaves neither the work nor the job.
The session remembers which rows it wrote; after the commit they are dispatched (`dispatch`):
sent to the broker, or run in this process when there is none. A send that fails (Redis down)
leaves the row pending for the sweeper, so no job is lost and the request still succeeds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm.util import identity_key

from velferd.db import TenantSession, add_or_find, db
from velferd.errors import Conflict
from velferd.jobs.dispatch import Dispatch, dispatch
from velferd.jobs.registry import find_task
from velferd.log_context import current_request_id
from velferd.models import JobRun, Tenant, User
from velferd.plugins.enablement import enabled_plugin_ids
from velferd.tenancy import CrossTenantWrite, current_tenant_id
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)
TO_DISPATCH = "velferd.jobs.to_dispatch"


class UnknownTask(LookupError):
    """No plugin and no core module declares a task of that name (a programming error)."""


def enqueue(
    task: str,
    *,
    tenant: Tenant,
    kwargs: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
    actor: User | None = None,
    retry_of: JobRun | None = None,
) -> JobRun:
    """Record a job for `tenant` in the current transaction and send it after the commit.

    `tenant` must be the tenant in scope. `kwargs` must be JSON values; they are passed to the
    task's ``run(ctx, **kwargs)``. With an `idempotency_key` a second request with the same key
    (a double-fired schedule, a resubmitted form) returns the first job and creates nothing.
    A plugin's task can only be enqueued for a tenant that has the plugin enabled (409).
    The job records the id of the request (or job, or schedule firing) enqueuing it, so its log
    lines can be found from the request's.
    """
    if current_tenant_id() != tenant.id:
        raise CrossTenantWrite(f"enqueue for tenant {tenant.id} while tenant {current_tenant_id()} is in scope")
    registered = find_task(task)
    if registered is None:
        raise UnknownTask(f"no task {task!r} is declared by the core or any plugin")
    if registered.plugin is not None and registered.plugin not in enabled_plugin_ids(tenant):
        raise Conflict(f"plugin '{registered.plugin}' is not enabled for {tenant.name}; its task {task!r} cannot run")
    kwargs = _json_values(dict(kwargs or {}), task)
    if idempotency_key is not None:
        existing = _by_key(idempotency_key)
        if existing is not None:
            return existing
    job = JobRun(
        task=task, plugin=registered.plugin, kwargs=kwargs, state="pending",
        max_attempts=registered.spec.max_attempts, idempotency_key=idempotency_key,
        requested_by_id=actor.id if actor is not None else None,
        retry_of_id=retry_of.id if retry_of is not None else None, request_id=current_request_id(),
    )
    if idempotency_key is None:
        db.session.add(job)
        db.session.flush()
    else:  # two workers firing the same slot at once: the loser takes the winner's row
        job = add_or_find(job, lambda: _by_key(idempotency_key))
    dispatch_after_commit(tenant.id, job.id)
    return job


def _json_values(kwargs: dict[str, Any], task: str) -> dict[str, Any]:
    try:
        json.dumps(kwargs)
    except (TypeError, ValueError) as error:
        raise TypeError(f"kwargs of task {task!r} must be JSON values: {error}") from None
    return kwargs


def _by_key(key: str) -> JobRun | None:
    return db.session.scalar(sa.select(JobRun).where(JobRun.idempotency_key == key))


def dispatch_after_commit(tenant_id: int, job_id: int, countdown: float = 0) -> None:
    """Send (or run) the job once the current transaction commits; nothing if it rolls back."""
    db.session().info.setdefault(TO_DISPATCH, []).append(Dispatch(tenant_id, job_id, countdown))


@event.listens_for(TenantSession, "after_commit")
def _dispatch_committed_jobs(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    to_dispatch = session.info.pop(TO_DISPATCH, [])
    if not to_dispatch:
        return
    app = current_app._get_current_object()
    for item in to_dispatch:
        try:
            dispatch(app, item)
        except Exception:  # the caller's work is committed: never fail it for a job's sake
            log.exception("could not dispatch job %s of tenant %s; the sweeper will", item.job_id, item.tenant_id)
        # the job was updated in another session (sent, or run in-process): reload it on next access
        job = session.identity_map.get(identity_key(JobRun, item.job_id))
        if job is not None:
            session.expire(job)


@event.listens_for(TenantSession, "after_rollback")
def _forget_rolled_back_jobs(session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(TO_DISPATCH, None)

"""Background jobs: one Celery app, per-tenant job runs recorded in the database (which is also
the outbox), periodic entries fanned out to the tenants that enabled a plugin.

* `enqueue` records a job in the caller's transaction and sends it after the commit
  (`velferd.jobs.outbox`);
* the worker runs it as its tenant, renewing its heartbeat, and records the outcome
  (`velferd.jobs.runner`, `velferd.jobs.heartbeat`);
* beat (`velferd.jobs.beat`, surviving Redis outages) fans each periodic entry out per tenant
  (`velferd.jobs.fanout`) and sweeps the outbox (`velferd.jobs.sweeper`), which also recovers
  the jobs whose worker died (`velferd.jobs.recovery`);
* tasks are declared as data: plugins in ``Plugin.tasks``, the core with
  `velferd.jobs.registry.core_task` (`velferd.jobs.registry`).

Without a broker (no ``VELFERD_REDIS_URL``) a job runs in the same process right after the
commit that asked for it — the embedded demo needs no Redis and no worker.
"""

from __future__ import annotations

from flask import Flask

from velferd.jobs.outbox import UnknownTask, enqueue
from velferd.jobs.registry import core_beat_entry, core_task

__all__ = ["UnknownTask", "core_beat_entry", "core_task", "enqueue", "init_app"]


def check_heartbeat_settings(config) -> None:
    """A heartbeat timeout shorter than two beats would take a job at work for dead (and run an
    idempotent one twice at once, or fail another): refuse to start."""
    from velferd.config import ConfigurationError

    beat, timeout = config["JOBS_HEARTBEAT_SECONDS"], config["JOBS_HEARTBEAT_TIMEOUT_SECONDS"]
    if beat <= 0 or timeout < 2 * beat:
        raise ConfigurationError(
            "invalid configuration: VELFERD_JOBS_HEARTBEAT_TIMEOUT_SECONDS must be at least twice "
            "VELFERD_JOBS_HEARTBEAT_SECONDS, which must be above 0 (a job at work would be taken for dead)")


def init_app(app: Flask) -> None:
    """Load the core's tasks, check that every periodic entry names a task its owner declares,
    and, with a broker configured, build the Celery app (``app.extensions["celery"]``); without
    one, jobs run in this process (``app.extensions[RUN_HERE]``)."""
    from velferd.jobs.registry import check_beat_entries, load_core_modules

    check_heartbeat_settings(app.config)
    load_core_modules()
    with app.app_context():
        check_beat_entries()
    from velferd.jobs.cli import jobs_group

    app.cli.add_command(jobs_group)
    from velferd.jobs.dispatch import RUN_HERE
    from velferd.jobs.runner import run_job

    app.extensions[RUN_HERE] = run_job  # what runs a job without a broker (velferd.jobs.dispatch)
    if app.config["CELERY_BROKER_URL"]:
        from velferd.jobs.celery_app import make_celery

        app.extensions["celery"] = make_celery(app)
    else:  # no beat to sweep: each web process retries its due jobs by itself
        from velferd.jobs.embedded_sweeper import init_app as init_embedded_sweeper

        init_embedded_sweeper(app)

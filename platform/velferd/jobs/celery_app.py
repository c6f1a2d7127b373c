"""The Celery application of one Flask app, configured from the Flask configuration.

One Celery app per Flask app (kept at ``app.extensions["celery"]``), so tests can build several
side by side. Every task runs inside the Flask app context, where the database session and the
tenant on ``g`` live. Celery knows only four tasks — running a recorded job (early or late
acknowledged), fanning a periodic entry out to the tenants, and sweeping the outbox; what a job
does is looked up in the registry by the job's task name.

The scheduler is celery-redbeat's (made to survive Redis outages, `velferd.jobs.beat`): its
schedule lives in Redis and a beat holds a Redis lock while it runs, so a second beat started by
mistake waits for the lock instead of firing twice.
Beat's clock, and the crontabs' syntax, are `velferd.jobs.schedules`'.
"""

from __future__ import annotations

from celery import Celery, Task
from celery.signals import worker_ready
from flask import Flask

from velferd.jobs.dispatch import RUN_IDEMPOTENT_JOB, RUN_JOB
from velferd.jobs.registry import beat_entries
from velferd.jobs.schedules import SCHEDULE_TIME_ZONE, parse_crontab
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)

FAN_OUT = "velferd.fan_out"
SWEEP = "velferd.sweep_outbox"
SWEEP_ENTRY = "velferd-sweep-outbox"
BEAT_SCHEDULER = "velferd.jobs.beat:ResilientRedBeatScheduler"  # redbeat's, surviving Redis outages


def beat_schedule(app: Flask) -> dict:
    """Beat's schedule: one fan-out per periodic entry (core and plugins), and the sweeper."""
    with app.app_context():
        schedule = {
            name: {"task": FAN_OUT, "schedule": parse_crontab(registered.entry.schedule), "args": (name,)}
            for name, registered in beat_entries().items()
        }
    schedule[SWEEP_ENTRY] = {"task": SWEEP, "schedule": float(app.config["JOBS_SWEEP_INTERVAL_SECONDS"])}
    return schedule


def make_celery(app: Flask) -> Celery:
    broker = app.config["CELERY_BROKER_URL"]
    timeout = app.config["CELERY_BROKER_TIMEOUT_SECONDS"]

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask, set_as_current=False)
    celery.conf.update(
        broker_url=broker,
        # The JobRun row is the record of every run, so by default there is no result backend:
        # one on Redis would make every send wait on it — 20 s of reconnects when Redis is down.
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_ignore_result=True,
        task_default_queue=app.config["CELERY_QUEUE"],
        timezone=SCHEDULE_TIME_ZONE,
        enable_utc=True,
        task_serializer="json",
        accept_content=["json"],
        # a request must not hang on a dead broker: fail fast, the outbox keeps the job
        task_publish_retry=False,
        broker_connection_timeout=timeout,
        broker_transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout,
                                  "visibility_timeout": app.config["CELERY_VISIBILITY_TIMEOUT_SECONDS"]},
        broker_connection_retry_on_startup=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        beat_schedule=beat_schedule(app),
        beat_scheduler=BEAT_SCHEDULER,
        redbeat_redis_url=app.config["REDBEAT_REDIS_URL"] or broker,
        redbeat_key_prefix=app.config["REDBEAT_KEY_PREFIX"],
        redbeat_lock_timeout=app.config["REDBEAT_LOCK_TIMEOUT_SECONDS"],
        beat_max_loop_interval=app.config["REDBEAT_MAX_INTERVAL_SECONDS"],
    )
    _register_tasks(celery)
    redacting_logger("celery.app.trace")  # "Task … raised unexpected: <exception text>"
    return celery


def _register_tasks(celery: Celery) -> None:
    from velferd.jobs.fanout import fan_out
    from velferd.jobs.runner import run_job
    from velferd.jobs.sweeper import sweep

    @celery.task(name=RUN_JOB, bind=True, shared=False)
    def run_job_task(self, tenant_id: int, job_id: int) -> str:
        """Acknowledged when received: a lost worker does not run it again (not idempotent)."""
        return run_job(tenant_id, job_id, message_id=self.request.id)

    @celery.task(name=RUN_IDEMPOTENT_JOB, bind=True, acks_late=True, reject_on_worker_lost=True, shared=False)
    def run_idempotent_job_task(self, tenant_id: int, job_id: int) -> str:
        """Acknowledged when done: a worker lost mid-task has the message redelivered."""
        return run_job(tenant_id, job_id, message_id=self.request.id)

    @celery.task(name=FAN_OUT, shared=False)
    def fan_out_task(entry_name: str, slot: str | None = None) -> int:
        return len(fan_out(entry_name, slot=slot))

    @celery.task(name=SWEEP, shared=False)
    def sweep_task() -> int:
        return sweep()


def _sweep_when_worker_starts(sender=None, **kwargs) -> None:
    """Jobs left pending while no worker (or no broker) was up are sent as soon as one is."""
    celery = getattr(sender, "app", None)
    if celery is None or SWEEP not in celery.tasks:
        return
    try:
        celery.tasks[SWEEP].apply()
    except Exception:
        log.exception("sweeping the outbox at worker start failed; beat's sweeper will retry")


worker_ready.connect(_sweep_when_worker_starts, weak=False)

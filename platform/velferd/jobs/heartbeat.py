"""A running job's heartbeat: while a worker runs a job, a thread of its own renews the job's
``heartbeat_at`` every ``JOBS_HEARTBEAT_SECONDS``.

The heartbeat is what tells a job at work from one whose worker is gone — SIGKILLed, out of
memory, its machine lost, or its database connection dropped mid-task: a job still ``running``
whose heartbeat is older than ``JOBS_HEARTBEAT_TIMEOUT_SECONDS`` has nobody running it, and
the sweeper recovers it (`velferd.jobs.recovery`). A long job with a live heartbeat is never
taken for dead, however long it runs.

The renewal is its own short transaction on its own connection (a thread has its own app
context and session), as the job's tenant (so it passes row-level security), and only touches
the row while it is still this run's (``running`` with this message): a run the sweeper has
already given up on is not brought back to life by a late beat. Renewals that fail (the
database is down) are logged and tried again at the next beat; the job itself goes on.
Only broker runs beat: a job run inside the web process (no broker) would share SQLite's one
writer with the job's own transaction.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import Flask

from velferd.db import db, utcnow
from velferd.models import JobRun, Tenant
from velferd.redaction import redacting_logger
from velferd.tenancy import tenant_scope

log = redacting_logger(__name__)


class Heartbeat:
    """``with Heartbeat(app, tenant, job_id, message_id):`` renews the job's heartbeat until the
    block ends (the thread is a daemon: a process that exits does not wait for it)."""

    def __init__(self, app: Flask, tenant: Tenant, job_id: int, message_id: str):
        self.app, self.tenant, self.job_id, self.message_id = app, tenant, job_id, message_id
        self.interval = float(app.config["JOBS_HEARTBEAT_SECONDS"])
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat_until_stopped, name=f"heartbeat-job-{job_id}",
                                        daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.interval + 5)

    def _beat_until_stopped(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.beat()
            except Exception as error:  # the database is down or busy: the next beat tries again
                log.warning("heartbeat of job %s not renewed: %s", self.job_id, type(error).__name__)

    def beat(self) -> bool:
        """Renew the heartbeat once; False when the run is no longer this one's."""
        with self.app.app_context(), tenant_scope(self.tenant):
            renewed = db.session.execute(
                sa.update(JobRun)
                .where(JobRun.id == self.job_id, JobRun.state == "running", JobRun.message_id == self.message_id)
                .values(heartbeat_at=utcnow())
                .execution_options(synchronize_session=False)).rowcount
            db.session.commit()
        return renewed == 1

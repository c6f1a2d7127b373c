"""The embedded default (no broker) retries its jobs by itself: each web process runs the outbox
sweeper (`velferd.jobs.sweeper.sweep`) every ``JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS`` in a daemon
thread, so a failed job whose retry time has come, or a job its request could not run, runs
without anyone typing ``velferd jobs sweep`` — also at night, with no traffic.

Why a thread, and why it is safe:

* It is started by the first request a process serves, never at import: gunicorn forks its
  workers after importing the app, and a thread does not survive a fork; each worker (and a worker
  that replaces a dead one) starts its own. The process id is checked, so a forked child never
  trusts its parent's thread. Commands (``velferd …``) serve no request and start none.
* Several processes sweeping the same database is harmless: a job is claimed with a conditional
  update (`velferd.jobs.runner`), so whichever process claims it first runs it and the others skip
  it; a non-idempotent job never runs twice.
* SQLite: the thread uses its own app context, session and connection; a write that meets another
  process's lock waits SQLite's busy timeout, and a sweep that fails is logged (redacted) and tried
  again at the next interval.
* With a broker the thread is never started: beat sweeps, and workers run the jobs.
"""

from __future__ import annotations

import os
import threading

from flask import Flask

from velferd.database_outage import is_database_unavailable
from velferd.db import db
from velferd.redaction import redacting_logger

log = redacting_logger(__name__)
EXTENSION = "velferd.embedded_sweeper"


class EmbeddedSweeper:
    """One daemon thread per process that sweeps `app`'s outbox every `interval` seconds."""

    def __init__(self, app: Flask, interval: float) -> None:
        self.app, self.interval = app, interval
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def ensure_running(self) -> None:
        """Start this process's thread unless it runs already (cheap: called before every request)."""
        if self.is_running():
            return
        with self._lock:
            if self.is_running():
                return
            self._stopping.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="velferd-embedded-sweeper", daemon=True)
            self._thread.start()

    def is_running(self) -> bool:
        """This process's own thread is alive (a forked child's copy of its parent's is not)."""
        return self._pid == os.getpid() and self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """End the thread after its current sweep (tests; a process exiting needs nothing)."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.sweep_once()

    def sweep_once(self) -> int:
        """One sweep in a fresh app context; a failure is logged, never raised (the thread lives on)."""
        from velferd.jobs.sweeper import sweep

        with self.app.app_context():
            try:
                return sweep()
            except Exception as error:
                if is_database_unavailable(error):  # expected while it is down: one line, no traceback
                    log.warning("embedded sweeper: the database cannot be reached; trying again in %s s",
                                self.interval)
                else:
                    log.exception("embedded sweeper: the sweep failed; trying again in %s s", self.interval)
                db.session.rollback()
                return 0


def init_app(app: Flask) -> None:
    """Without a broker, and unless the interval is 0, sweep in every process that serves requests."""
    interval = app.config["JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS"]
    if app.config["CELERY_BROKER_URL"] or not interval:
        return
    sweeper = app.extensions[EXTENSION] = EmbeddedSweeper(app, interval)
    app.before_request(sweeper.ensure_running)

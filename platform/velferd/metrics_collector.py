"""The database's side of /metrics: job runs, the outbox and invoice runs, read at scrape time.

Read when Prometheus scrapes, not counted where things happen, so the figures are right
whichever process ran a job (a web process, a worker, the sweeper) and survive restarts. They
are an operator's view across tenants, read the way the sweeper reads (`velferd.jobs.sweeper`):
one tenant at a time inside `tenant_scope`, so row-level security applies as to any other
reader. Labels are task names and states only — never a tenant (hundreds of series) nor
anything a person typed.

Cost: per tenant, one grouped query on ``job_run`` (count and oldest ``created_at`` by task and
state: the outbox's age is the oldest of the pending groups) and one on ``invoice_run`` (a row a
month per tenant), all in one transaction. The job query reads every row of the tenant
(``ix_job_run_tenant_id_state`` has no task), so a process reads the database at most once every
``VELFERD_METRICS_DATABASE_SECONDS`` (30) and answers the scrapes in between from that reading.

A database that cannot be read is ``velferd_database_up 0`` and no database series, never a
failed scrape: the request metrics are still worth having during an outage.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from velferd.db import db, utcnow
from velferd.models import InvoiceRun, JobRun, Tenant
from velferd.redaction import redacting_logger
from velferd.tenancy import tenant_scope

log = redacting_logger(__name__)


class DatabaseReadings:
    """The last reading of the database, kept `max_age` seconds (one per app, `velferd.metrics`).
    A failed reading is not kept: the next scrape tries again."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._families: list[GaugeMetricFamily] = []

    def families(self) -> list[GaugeMetricFamily]:
        """Read in the app context of the scrape request; raises SQLAlchemyError in an outage."""
        with self._lock:
            if self._read_at is None or time.monotonic() - self._read_at >= self.max_age:
                self._families = _database_families()
                self._read_at = time.monotonic()
            return self._families


class DatabaseCollector(Collector):
    def __init__(self, readings: DatabaseReadings) -> None:
        self.readings = readings

    def collect(self):
        up = GaugeMetricFamily("velferd_database_up", "1 when the database could be read for this scrape, else 0")
        try:
            families = self.readings.families()
        except sa.exc.SQLAlchemyError as error:
            db.session.rollback()
            log.warning("metrics: the database could not be read (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _database_families() -> list[GaugeMetricFamily]:
    jobs: dict[tuple[str, str], int] = {}
    runs: dict[str, int] = {}
    oldest_pending = None
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            for task, state, count, oldest in db.session.execute(
                    sa.select(JobRun.task, JobRun.state, sa.func.count(), sa.func.min(JobRun.created_at))
                    .group_by(JobRun.task, JobRun.state)):
                jobs[task, state] = jobs.get((task, state), 0) + count
                if state == "pending" and (oldest_pending is None or oldest < oldest_pending):
                    oldest_pending = oldest
            for state, count in db.session.execute(
                    sa.select(InvoiceRun.state, sa.func.count()).group_by(InvoiceRun.state)):
                runs[state] = runs.get(state, 0) + count
    db.session.commit()
    return [_job_runs(jobs), _outbox_age(oldest_pending), _invoice_runs(runs)]


def _job_runs(counts: dict[tuple[str, str], int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily("velferd_job_runs", "Job runs on record (table job_run), by task and state",
                               labels=["task", "state"])
    for (task, state), count in sorted(counts.items()):
        family.add_metric([task, state], count)
    return family


def _outbox_age(oldest_pending) -> GaugeMetricFamily:
    family = GaugeMetricFamily("velferd_outbox_oldest_pending_age_seconds",
                               "Seconds since the oldest job still pending (committed, never sent) was written; "
                               "0 when none is pending")
    age = 0.0 if oldest_pending is None else (utcnow() - oldest_pending).total_seconds()
    family.add_metric([], max(age, 0.0))
    return family


def _invoice_runs(counts: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily("velferd_invoice_runs", "Invoice runs on record (table invoice_run), by state",
                               labels=["state"])
    for state, count in sorted(counts.items()):
        family.add_metric([state], count)
    return family

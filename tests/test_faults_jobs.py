"""Faults under the production shape — a Celery worker, beat with redbeat, Redis, PostgreSQL as
the application role, a real SMTP server — and after each one everything finishes by itself:
every job succeeded or failed with a reason, every invoice once, numbered 1..N without a gap,
every delivery once (counted at the SMTP server, in the EHF outbox and in the finance export).

Each test starts its own redis-server on a free loopback port (restarted or killed at will) and
its own worker and beat, and stops only those. The timings are shrunk (heartbeat every second,
a job silent for 3 s is dead, a sweep every second) so that the bound each test waits for —
stated at its `wait_for` — is seconds, not the production defaults' minute or two.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.billing_towns import last_month
from tests.celery_processes import (
    free_port,
    start_beat,
    start_redis,
    start_worker,
    stop_redis,
    unique_queue,
    wait_for,
)
from tests.databases import app_config
from tests.helpers import make_municipality
from tests.many_payers import add_payers
from tests.plugins.example import ExamplePlugin
from tests.postgres_cluster import migrated_on
from velferd import create_app
from velferd.db import db
from velferd.models import Invoice, InvoiceRun, JobRun
from velferd.tenancy import tenant_scope

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.redis]
PLUGINS = ["tests.plugins.example:ExamplePlugin"]
CHANNELS = ("finance_export", "email", "ehf")
PAYERS_PER_CHANNEL = 20
CASES_PER_PAYER = 4
RECOVERY_BOUND = 90  # seconds: heartbeat timeout + sweep + the run's rest, with room for a busy machine
FAST_RECOVERY = {
    "JOBS_HEARTBEAT_SECONDS": 1, "JOBS_HEARTBEAT_TIMEOUT_SECONDS": 3, "JOBS_SWEEP_INTERVAL_SECONDS": 1,
    "JOBS_RESEND_QUEUED_AFTER_SECONDS": 3, "JOBS_RETRY_GRACE_SECONDS": 2, "JOBS_SWEEP_PENDING_AFTER_SECONDS": 1,
    "REDBEAT_MAX_INTERVAL_SECONDS": 1, "REDBEAT_LOCK_TIMEOUT_SECONDS": 5, "CELERY_BROKER_TIMEOUT_SECONDS": 1,
    "BILLING_INVOICES_PER_TRANSACTION": 3,  # small batches: a kill lands between two committed ones
}


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    # started again with start_redis(port, dir): empty (no persistence), the lock and schedule gone
    state = {"server": start_redis(port, tmp_path), "port": port, "dir": tmp_path}
    yield state
    stop_redis(state["server"])


def fault_config(app_url, owner_url, own_redis, smtp_server, tmp_path, monkeypatch) -> dict:
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))  # the worker's too
    queue = unique_queue()
    return app_config(app_url, owner_url, REDIS_URL=f"redis://127.0.0.1:{own_redis['port']}/0",
                      CELERY_QUEUE=queue, REDBEAT_KEY_PREFIX=f"{queue}:redbeat:", **FAST_RECOVERY,
                      **smtp_server.config)


@pytest.fixture
def config(db_url, database, own_redis, smtp_server, tmp_path, monkeypatch):
    return fault_config(db_url, database.owner_url or db_url, own_redis, smtp_server, tmp_path, monkeypatch)


@pytest.fixture
def web_app(config):
    app = create_app(config, plugins=[ExamplePlugin()])
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def processes():
    """Worker and beat processes a test starts; all stopped at the end."""
    started = []
    yield started
    for process in started:
        process.stop()


def beat(config, tmp_path, processes, name="beat"):
    (tmp_path / name).mkdir()
    process = start_beat(config, PLUGINS, tmp_path / f"{name}.log", tmp_path / name)
    processes.append(process)
    return process


def worker(config, tmp_path, processes, name="worker", **options):
    process = start_worker(config, PLUGINS, tmp_path / f"{name}.log", **options)
    processes.append(process)
    return process


# --- the end state every test asserts -------------------------------------------------------

def jobs(app, town) -> list[JobRun]:
    with app.app_context(), tenant_scope(town.tenant):
        found = db.session.scalars(sa.select(JobRun).order_by(JobRun.id)).all()
        db.session.commit()
        return found


def all_jobs_finished(app, town) -> bool:
    return all(job.state in ("succeeded", "failed") for job in jobs(app, town))


def assert_every_job_ended_well(app, town) -> None:
    ended = jobs(app, town)
    assert ended and all(job.state == "succeeded" or (job.state == "failed" and job.error) for job in ended), [
        (job.id, job.task, job.state, job.error) for job in ended]


# --- an invoice run with deliveries on every channel -------------------------------------------

def payers_on_every_channel(app, client, town) -> None:
    """PAYERS_PER_CHANNEL units per delivery channel, each referring CASES_PER_PAYER open cases."""
    add_payers(app, client, town, [
        {"name": f"Payer {channel} {n:02d}", "delivery_channel": channel,
         "invoice_email": f"faktura-{n}@payer.example.no", "buyer_reference": f"REF-{n}"}
        for channel in CHANNELS for n in range(PAYERS_PER_CHANNEL)], CASES_PER_PAYER)


def invoice_count(app, town) -> int:
    with app.app_context(), tenant_scope(town.tenant):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Invoice))
        db.session.commit()
        return count


def run_completed(app, town) -> bool:
    with app.app_context(), tenant_scope(town.tenant):
        state = db.session.scalar(sa.select(InvoiceRun.state))
        db.session.commit()
        return state == "completed"


def every_invoice_sent(app, town) -> bool:
    with app.app_context(), tenant_scope(town.tenant):
        statuses = set(db.session.scalars(sa.select(Invoice.status)))
        db.session.commit()
    return statuses == {"sent"}


def assert_billed_and_delivered_once(app, town, smtp_server, *, resent_at_the_kill: int = 0) -> None:
    """`resent_at_the_kill`: e-mails the server may have accepted just before a kill, before their
    job recorded it; sent again with the same Message-ID (which the receiver drops)."""
    payers = PAYERS_PER_CHANNEL * len(CHANNELS)
    with app.app_context(), tenant_scope(town.tenant):
        invoices = db.session.scalars(sa.select(Invoice)).all()
        run = db.session.scalar(sa.select(InvoiceRun))
        db.session.commit()
    assert len(invoices) == payers
    assert len({(i.plugin, i.payer_unit_id, i.period_start) for i in invoices}) == payers
    assert sorted(i.number for i in invoices) == list(range(1, payers + 1))  # gapless
    assert {i.status for i in invoices} == {"sent"}
    assert (run.state, run.invoice_count, run.export_count) == ("completed", payers, 1)
    by_channel = {channel: {i.number for i in invoices if i.channel == channel} for channel in CHANNELS}
    # e-mail: one message per invoice (a second one would repeat its Message-ID)
    message_ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(message_ids) - len(set(message_ids)) <= resent_at_the_kill
    assert set(message_ids) == {f"<invoice-{town.tenant.id}-{n}@velferd>" for n in by_channel["email"]}
    outbox = Path(app.instance_path, "tenants", str(town.tenant.id), "ehf-outbox")
    assert sorted(p.name for p in outbox.glob("*.xml")) == sorted(f"invoice-{n}.xml" for n in by_channel["ehf"])
    exports = list(Path(app.instance_path, "tenants", str(town.tenant.id), "finance-export").glob("*.csv"))
    assert len(exports) == 1


def start_a_run_and_wait_until_it_is_midway(app, client, town) -> None:
    r = client.post(town.url("/invoice-runs"), json={"period": last_month()}, headers=town.finance.headers)
    assert r.status_code == 202, r.json
    wait_for(lambda: 0 < invoice_count(app, town) < PAYERS_PER_CHANNEL * len(CHANNELS) // 2,
             "the run to have written some but not all invoices", interval=0.02)


# --- the tests ---------------------------------------------------------------------------------

def test_beat_survives_a_short_and_a_long_redis_outage_and_sweeps_what_waited(
        web_app, config, own_redis, processes, tmp_path):
    town = make_municipality(web_app, "bergen")
    client = web_app.test_client()
    scheduler = beat(config, tmp_path, processes)
    scheduler.wait_for_log("beat: Acquired lock")
    worker(config, tmp_path, processes)

    stop_redis(own_redis["server"])  # short: a few ticks, and the lock and the schedule are gone with it
    scheduler.wait_for_log("beat: Redis unavailable", timeout=30)
    own_redis["server"] = start_redis(own_redis["port"], own_redis["dir"])
    wait_for(lambda: scheduler.log().count("beat: Acquired lock") >= 2, "beat to take its lock again", timeout=30)

    stop_redis(own_redis["server"])  # long: longer than the lock's 5 s and many ticks
    r = client.post(town.url("/x/example/jobs"), json={"kwargs": {"note": "while Redis was down"}},
                    headers=town.caseworker.headers)
    assert r.status_code == 202, r.json
    assert jobs(web_app, town)[0].state == "pending"
    wait_for(lambda: scheduler.log().count("beat: Redis unavailable") >= 8, "beat to go on through the outage",
             timeout=60)
    assert scheduler.process.poll() is None
    own_redis["server"] = start_redis(own_redis["port"], own_redis["dir"])

    # bound: beat's backoff (≤ 1 s here) + one sweep interval + the worker reconnecting
    wait_for(lambda: all_jobs_finished(web_app, town), "the job committed during the outage to run", timeout=60)
    assert_every_job_ended_well(web_app, town)
    assert scheduler.process.poll() is None and scheduler.log().count("beat: Acquired lock") >= 3
    assert "LockNotOwnedError" not in scheduler.log() and "Traceback" not in scheduler.log()


def test_a_pool_child_killed_mid_invoice_run_is_replaced_and_the_run_and_every_delivery_finish(
        web_app, config, smtp_server, processes, tmp_path):
    town = make_municipality(web_app, "bergen")
    client = web_app.test_client()
    payers_on_every_channel(web_app, client, town)
    pool = worker(config, tmp_path, processes, pool="prefork", concurrency=2)
    beat(config, tmp_path, processes).wait_for_log("beat: Acquired lock")
    children = pool.children()
    assert len(children) == 2

    start_a_run_and_wait_until_it_is_midway(web_app, client, town)
    for child in children:
        os.kill(child, signal.SIGKILL)

    # bound: the heartbeat timeout (3 s) + a sweep (1 s), then the rest of the run and its deliveries
    wait_for(lambda: run_completed(web_app, town) and every_invoice_sent(web_app, town) and
             all_jobs_finished(web_app, town), "the run and every delivery to finish", timeout=RECOVERY_BOUND)
    assert set(pool.children()).isdisjoint(children)  # replaced
    assert "INTRANS" not in pool.log()
    assert_billed_and_delivered_once(web_app, town, smtp_server)
    assert_every_job_ended_well(web_app, town)


def test_a_worker_killed_mid_invoice_run_and_restarted_finishes_the_run_and_every_delivery(
        web_app, config, smtp_server, processes, tmp_path):
    town = make_municipality(web_app, "bergen")
    client = web_app.test_client()
    payers_on_every_channel(web_app, client, town)
    first = worker(config, tmp_path, processes, name="worker-1")
    beat(config, tmp_path, processes).wait_for_log("beat: Acquired lock")

    start_a_run_and_wait_until_it_is_midway(web_app, client, town)
    first.kill()
    worker(config, tmp_path, processes, name="worker-2")  # what the supervisor does

    # bound: the heartbeat timeout (3 s) + a sweep (1 s), then the rest of the run and its deliveries
    wait_for(lambda: run_completed(web_app, town) and every_invoice_sent(web_app, town) and
             all_jobs_finished(web_app, town), "the run and every delivery to finish", timeout=RECOVERY_BOUND)
    assert_billed_and_delivered_once(web_app, town, smtp_server)
    assert_every_job_ended_well(web_app, town)


def test_a_worker_killed_while_delivering_and_restarted_delivers_every_invoice(
        web_app, config, smtp_server, processes, tmp_path):
    """Killed with deliveries queued, one running and one held unacknowledged: the running one's
    heartbeat stops, the held one's message no longer waits in the queue, and both are sent again.
    Only an e-mail the server accepted in the instant before the kill, before its job could
    record it, can be sent twice — with the same Message-ID, which the receiver drops."""
    town = make_municipality(web_app, "bergen")
    client = web_app.test_client()
    payers_on_every_channel(web_app, client, town)
    first = worker(config, tmp_path, processes, name="worker-1")
    beat(config, tmp_path, processes).wait_for_log("beat: Acquired lock")
    r = client.post(town.url("/invoice-runs"), json={"period": last_month()}, headers=town.finance.headers)
    assert r.status_code == 202, r.json

    wait_for(lambda: 3 <= len(smtp_server.messages) < PAYERS_PER_CHANNEL, "some but not all e-mails to be sent",
             interval=0.02)
    first.kill()
    worker(config, tmp_path, processes, name="worker-2")

    # bound: the heartbeat timeout (3 s) or a queued job's resend (3 s) + a sweep (1 s), then the rest
    wait_for(lambda: every_invoice_sent(web_app, town) and all_jobs_finished(web_app, town),
             "every delivery to finish", timeout=RECOVERY_BOUND)
    assert_billed_and_delivered_once(web_app, town, smtp_server, resent_at_the_kill=1)
    assert_every_job_ended_well(web_app, town)


@pytest.mark.parametrize("how", ["fast", "immediate"], ids=["stopped", "crashed"])
def test_postgresql_stopped_or_crashed_mid_invoice_run_the_run_and_every_delivery_finish_once_it_is_back(
        how, own_cluster, own_redis, smtp_server, processes, tmp_path, monkeypatch):
    """The run's worker loses its database — stopped by an operator (its sessions ended) or crashed
    (an immediate shutdown, its unflushed commits gone): the job is left running with a heartbeat
    that stopped, and once PostgreSQL is back it is sent again and resumes, writing the invoices
    the outage took back with their numbers."""
    database = migrated_on(own_cluster)
    config = fault_config(database.app_url, database.owner_url, own_redis, smtp_server, tmp_path, monkeypatch)
    app = create_app(config, plugins=[ExamplePlugin()])
    try:
        town = make_municipality(app, "bergen")
        client = app.test_client()
        payers_on_every_channel(app, client, town)
        worker(config, tmp_path, processes)
        beat(config, tmp_path, processes).wait_for_log("beat: Acquired lock")

        start_a_run_and_wait_until_it_is_midway(app, client, town)
        own_cluster.stop(how)
        own_cluster.start()

        # bound: the heartbeat timeout (3 s) + a sweep (1 s) once PostgreSQL is back, then the rest
        wait_for(lambda: run_completed(app, town) and every_invoice_sent(app, town) and all_jobs_finished(app, town),
                 "the run and every delivery to finish", timeout=RECOVERY_BOUND)
        assert_billed_and_delivered_once(app, town, smtp_server)
        assert_every_job_ended_well(app, town)
        (run_job,) = [job for job in jobs(app, town) if job.task == "billing.monthly_run"]
        assert run_job.attempts >= 2, "the outage interrupted the run"
    finally:
        with app.app_context():
            db.engine.dispose()

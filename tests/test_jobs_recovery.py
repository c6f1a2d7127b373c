"""Jobs whose worker is gone are recovered by the sweeper: a running job whose heartbeat stopped
is run again when its task is idempotent and failed with the reason otherwise (a person retries
it); a job at work, with a live heartbeat, is never touched. Without a broker the sweeper runs
what it recovers in-process, so these run on the embedded default and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import sqlalchemy as sa

from tests.celery_processes import wait_for
from velferd.db import db, utcnow
from velferd.jobs.heartbeat import Heartbeat
from velferd.jobs.runner import run_job
from velferd.jobs.sweeper import sweep
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

LONG_AGO = dt.timedelta(minutes=5)


def running_job(app, town, task="example.remind", *, silent_for=LONG_AGO, attempts=1, max_attempts=5,
                kwargs=None) -> int:
    """A job as a worker leaves it when it dies mid-run: running, its last heartbeat `silent_for` ago."""
    beat = utcnow() - silent_for
    with app.app_context(), tenant_scope(town.tenant):
        job = JobRun(tenant_id=town.tenant.id, task=task, plugin="example", kwargs=kwargs or {}, state="running",
                     attempts=attempts, max_attempts=max_attempts, message_id="message-of-the-dead-worker",
                     enqueued_at=beat, started_at=beat, heartbeat_at=beat)
        db.session.add(job)
        db.session.commit()
        return job.id


def job_of(app, town, job_id) -> JobRun:
    with app.app_context(), tenant_scope(town.tenant):
        job = db.session.get(JobRun, job_id)
        db.session.expunge(job)
        db.session.commit()
        return job


def test_an_idempotent_job_whose_worker_died_is_run_again_by_the_sweep(app, bergen):
    job_id = running_job(app, bergen)
    with app.app_context():
        assert sweep() == 1
    job = job_of(app, bergen, job_id)
    assert (job.state, job.attempts, job.error) == ("succeeded", 2, None)
    assert job.result["tenant"] == "bergen"


def test_a_job_that_is_not_idempotent_is_failed_with_the_reason_and_can_be_retried(app, client, bergen):
    job_id = running_job(app, bergen, "example.flaky", max_attempts=3)
    with app.app_context():
        assert sweep() == 0
    job = job_of(app, bergen, job_id)
    assert job.state == "failed" and job.attempts == 1 and job.finished_at is not None
    assert job.error.startswith("worker lost while running (no heartbeat since ")
    assert "not run again because the task is not idempotent" in job.error
    r = client.post(bergen.url(f"/jobs/{job_id}/retry"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 202, r.json
    assert job_of(app, bergen, r.json["id"]).state == "succeeded"


def test_a_job_lost_on_its_last_attempt_is_failed(app, bergen):
    job_id = running_job(app, bergen, attempts=5, max_attempts=5)
    with app.app_context():
        assert sweep() == 0
    job = job_of(app, bergen, job_id)
    assert job.state == "failed" and job.error.startswith("worker lost on the last attempt (no heartbeat since ")


def test_a_job_with_a_live_heartbeat_is_left_running_however_long_it_runs(app, bergen):
    job_id = running_job(app, bergen, silent_for=dt.timedelta(seconds=1))
    with app.app_context(), tenant_scope(bergen.tenant):
        db.session.execute(sa.update(JobRun).where(JobRun.id == job_id)
                           .values(started_at=utcnow() - dt.timedelta(days=1)))
        db.session.commit()
    with app.app_context():
        assert sweep() == 0
    assert job_of(app, bergen, job_id).state == "running"


def test_a_redelivered_message_runs_a_running_job_again_only_once_its_heartbeat_stopped(app, bergen):
    alive = running_job(app, bergen, silent_for=dt.timedelta(seconds=1))
    dead = running_job(app, bergen)
    with app.app_context():
        assert run_job(bergen.tenant.id, alive, message_id="message-of-the-dead-worker") == "skipped"
        assert run_job(bergen.tenant.id, dead, message_id="message-of-the-dead-worker") == "succeeded"
    assert job_of(app, bergen, alive).state == "running"
    assert (job_of(app, bergen, dead).state, job_of(app, bergen, dead).attempts) == ("succeeded", 2)


def test_a_heartbeat_renews_only_the_run_it_belongs_to(app, bergen):
    job_id = running_job(app, bergen)
    before = job_of(app, bergen, job_id).heartbeat_at
    assert Heartbeat(app, bergen.tenant, job_id, "message-of-the-dead-worker").beat()
    assert job_of(app, bergen, job_id).heartbeat_at > before
    assert not Heartbeat(app, bergen.tenant, job_id, "another-message").beat()
    with app.app_context():
        sweep(now=utcnow() + LONG_AGO)  # given up on: a late beat does not bring it back
    assert job_of(app, bergen, job_id).state == "succeeded"
    assert not Heartbeat(app, bergen.tenant, job_id, "message-of-the-dead-worker").beat()


def test_the_heartbeat_is_renewed_while_the_job_runs(app, bergen):
    app.config["JOBS_HEARTBEAT_SECONDS"] = 0.05
    job_id = running_job(app, bergen)
    before = job_of(app, bergen, job_id).heartbeat_at
    with Heartbeat(app, bergen.tenant, job_id, "message-of-the-dead-worker"):
        wait_for(lambda: job_of(app, bergen, job_id).heartbeat_at > before, "the heartbeat to be renewed")


def test_a_forked_child_opens_its_own_database_connections(app, bergen):
    """The parent's pooled connection must not be handed to a child (they would share its socket)."""
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        assert engine.pool.checkedin() == 1
        child = os.fork()
        if child == 0:  # the child: no inherited connection in its pool, and a working one of its own
            try:
                inherited = engine.pool.checkedin()
                with engine.connect() as connection:
                    connection.execute(sa.text("select 1"))
                os._exit(0 if inherited == 0 else 3)
            except BaseException:
                os._exit(4)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert engine.pool.checkedin() == 1  # the parent's is still there, and works
        with engine.connect() as connection:
            assert connection.execute(sa.text("select 1")).scalar() == 1


def test_a_heartbeat_timeout_shorter_than_two_beats_refuses_to_start(db_url, database):
    from tests.databases import app_config
    from velferd import create_app
    from velferd.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="VELFERD_JOBS_HEARTBEAT_TIMEOUT_SECONDS must be at least twice"):
        create_app(app_config(db_url, database.owner_url or db_url, JOBS_HEARTBEAT_SECONDS=10,
                              JOBS_HEARTBEAT_TIMEOUT_SECONDS=15))

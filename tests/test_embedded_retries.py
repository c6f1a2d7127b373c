"""The embedded default (no broker) retries its jobs by itself: a failed in-process job whose
retry time has come runs again with nobody calling ``velferd jobs sweep``, in the web process's
own sweeper thread (velferd.jobs.embedded_sweeper) — and with two web processes on one database,
each attempt still runs exactly once.

Nothing is timed: the tests wait for the outcome (tests/celery_processes.wait_for).
"""

from __future__ import annotations

from contextlib import ExitStack

import sqlalchemy as sa

from tests.celery_processes import wait_for
from tests.databases import running_app
from tests.helpers import make_municipality
from velferd.db import db
from velferd.jobs.embedded_sweeper import EXTENSION
from velferd.models import AuditEvent, JobRun
from velferd.tenancy import tenant_scope

FAST = {"JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 0.2}


def ask_flaky(client, town, fail_attempts: int):
    r = client.post(town.url("/x/example/jobs"), json={"task": "example.flaky", "kwargs": {"fail_attempts": fail_attempts}},
                    headers=town.caseworker.headers)
    assert r.status_code == 202, r.json
    return r.json


def job_and_runs(app, town, job_id):
    with app.app_context(), tenant_scope(town.tenant):
        job = db.session.get(JobRun, job_id)
        runs = db.session.scalars(sa.select(AuditEvent.details).where(
            AuditEvent.action == "example.flaky_ran").order_by(AuditEvent.id)).all()
        db.session.commit()
        return job, runs


def finished(app, town, job_id):
    job, runs = job_and_runs(app, town, job_id)
    return (job, runs) if job.state in ("succeeded", "failed") else None


def test_a_failed_job_is_retried_by_the_web_process_itself(db_url, database, example_plugin, tmp_path):
    with running_app(database, db_url, [example_plugin], tmp_path / "instance", **FAST) as app:
        try:
            bergen = make_municipality(app, "bergen")
            asked = ask_flaky(app.test_client(), bergen, fail_attempts=2)
            assert asked["state"] == "retrying"
            job, runs = wait_for(lambda: finished(app, bergen, asked["id"]), "the job's retries")
            assert (job.state, job.attempts, job.error) == ("succeeded", 3, None)
            assert runs == [{"attempt": 3}]  # the failed attempts' writes were rolled back with them
        finally:
            app.extensions[EXTENSION].stop()


def test_two_web_processes_sweeping_one_database_run_each_attempt_once(db_url, database, example_plugin, tmp_path):
    """Two apps on the same database, as two gunicorn workers are, each with its sweeper thread."""
    with ExitStack() as stack:
        first, second = (stack.enter_context(running_app(database, db_url, [example_plugin], tmp_path / name, **FAST))
                         for name in ("one", "two"))
        for app in (first, second):
            stack.callback(app.extensions[EXTENSION].stop)
        bergen = make_municipality(first, "bergen")
        asked = [ask_flaky(first.test_client(), bergen, fail_attempts=1) for _ in range(3)]
        second.test_client().get("/healthz")  # a request starts the second process's sweeper
        for job in asked:
            done, _ = wait_for(lambda: finished(first, bergen, job["id"]), "the job's retry")
            assert (done.state, done.attempts) == ("succeeded", 2)
        _, runs = job_and_runs(first, bergen, asked[0]["id"])
        assert runs == [{"attempt": 2}] * 3  # one successful run per job, none twice


def test_there_is_no_sweeper_thread_with_a_broker_or_at_interval_0(db_url, database, tmp_path):
    with running_app(database, db_url, [], tmp_path / "a", REDIS_URL="redis://127.0.0.1:1/0", **FAST) as app:
        assert EXTENSION not in app.extensions
    with running_app(database, db_url, [], tmp_path / "b", JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS=0) as app:
        assert EXTENSION not in app.extensions


def test_a_forked_worker_starts_a_sweeper_of_its_own(app):
    """gunicorn forks workers from its master: a thread does not survive a fork, so the child's
    first request must start a new one rather than trust the copy of its parent's state."""
    import os

    from velferd.jobs.embedded_sweeper import EmbeddedSweeper

    sweeper = EmbeddedSweeper(app, interval=3600)
    sweeper.ensure_running()
    try:
        child = os.fork()
        if child == 0:  # pragma: no cover (the child reports through its exit status)
            inherited_running = sweeper.is_running()
            sweeper.ensure_running()
            os._exit(0 if not inherited_running and sweeper.is_running() else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert sweeper.is_running()
    finally:
        sweeper.stop()

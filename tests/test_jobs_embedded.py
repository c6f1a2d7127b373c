"""Jobs without a broker (the embedded default): a job asked for by a request runs in the same
process right after the request's commit, is recorded, retried with backoff and can be retried."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from velferd.db import db, utcnow
from velferd.jobs import UnknownTask, enqueue
from velferd.jobs.runner import backoff_seconds
from velferd.jobs.sweeper import sweep
from velferd.models import AuditEvent, JobRun
from velferd.tenancy import tenant_scope

X = "/x/example/jobs"


def ask(client, town, role="caseworker", **body):
    return client.post(town.url(X), json=body, headers=town.staff[role].headers)


def jobs_of(app, town) -> list[JobRun]:
    with app.app_context(), tenant_scope(town.tenant):
        jobs = db.session.scalars(sa.select(JobRun).order_by(JobRun.id)).all()
        db.session.commit()
        return jobs


def test_a_job_asked_for_by_a_request_runs_after_the_commit_and_is_recorded(app, client, bergen):
    before = utcnow()
    r = ask(client, bergen, kwargs={"note": "first"})
    assert r.status_code == 202, r.json
    assert r.json["state"] == "succeeded"
    (job,) = jobs_of(app, bergen)
    assert (job.id, job.task, job.plugin, job.kwargs, job.state, job.attempts) == (
        r.json["id"], "example.remind", "example", {"note": "first"}, "succeeded", 1)
    assert job.requested_by_id == bergen.caseworker.user_id
    assert before <= job.created_at <= job.started_at <= job.finished_at <= utcnow()
    assert job.error is None and job.next_attempt_at is None
    assert job.result["tenant"] == "bergen" and job.result["job_id"] == job.id
    assert job.result["settings"] == {"min_age": 16, "max_age": 23, "places": 10}


def test_a_request_that_fails_after_asking_leaves_no_job_and_runs_nothing(app, client, bergen):
    r = ask(client, bergen, fail_after_enqueue=True)
    assert r.status_code == 409
    assert jobs_of(app, bergen) == []


def test_a_failed_attempt_is_rolled_back_and_retried_with_backoff(app, client, bergen):
    r = ask(client, bergen, task="example.flaky", kwargs={"fail_attempts": 1})
    assert r.status_code == 202 and r.json["state"] == "retrying"
    (job,) = jobs_of(app, bergen)
    assert (job.attempts, job.error) == (1, "RuntimeError: the example service is down (attempt 1)")
    assert job.next_attempt_at == job.finished_at + dt.timedelta(seconds=1)  # backoff_seconds=1, first retry
    with app.app_context():
        assert sweep(now=job.next_attempt_at - dt.timedelta(seconds=0.5)) == 0  # not due yet
        assert sweep(now=job.next_attempt_at) == 1
    (job,) = jobs_of(app, bergen)
    assert (job.state, job.attempts, job.error, job.result) == ("succeeded", 2, None, {"attempts": 2, "places": 10})
    with app.app_context(), tenant_scope(bergen.tenant):
        ran = db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "example.flaky_ran")).all()
    assert ran == [{"attempt": 2}]  # the failed attempt's write went with it


def test_backoff_doubles_after_each_failed_attempt():
    assert [backoff_seconds(60, n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_after_the_last_attempt_the_job_is_failed_with_its_error(app, client, bergen):
    r = ask(client, bergen, task="example.flaky", kwargs={"fail_attempts": 9})
    job_id = r.json["id"]
    with app.app_context():
        for _ in range(3):
            sweep(now=utcnow() + dt.timedelta(hours=1))
    (job,) = jobs_of(app, bergen)
    assert (job.id, job.state, job.attempts, job.max_attempts) == (job_id, "failed", 3, 3)
    assert job.error == "RuntimeError: the example service is down (attempt 3)"
    assert job.next_attempt_at is None


def test_a_permanent_refusal_is_the_last_attempt(app, client, bergen):
    r = ask(client, bergen, task="example.flaky", kwargs={"refused": True})
    assert r.status_code == 202 and r.json["state"] == "failed"
    with app.app_context():
        assert sweep(now=utcnow() + dt.timedelta(hours=1)) == 0  # nothing left to retry
    (job,) = jobs_of(app, bergen)
    assert (job.state, job.attempts, job.max_attempts) == ("failed", 1, 3)
    assert job.error == "Refused: the example service refuses this request for good"


def test_a_job_whose_worker_was_lost_is_failed_by_the_sweeper_and_can_be_retried(app, client, bergen):
    started = utcnow() - dt.timedelta(hours=3)
    with app.app_context(), tenant_scope(bergen.tenant):
        lost = JobRun(task="example.remind", plugin="example", kwargs={}, state="running", attempts=1,
                      max_attempts=5, started_at=started)
        recent = JobRun(task="example.remind", plugin="example", kwargs={}, state="running", attempts=1,
                        max_attempts=5, started_at=utcnow())
        db.session.add_all([lost, recent])
        db.session.commit()
        lost_id, recent_id = lost.id, recent.id
    with app.app_context():
        sweep()
    states = {job.id: (job.state, job.error) for job in jobs_of(app, bergen)}
    assert states[recent_id] == ("running", None)
    assert states[lost_id][0] == "failed" and states[lost_id][1].startswith("worker lost")
    r = client.post(bergen.url(f"/jobs/{lost_id}/retry"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 202, r.json
    assert r.json["retry_of_id"] == lost_id and r.json["state"] == "succeeded"


def test_a_job_of_a_plugin_the_tenant_disabled_meanwhile_is_not_run(app, client, bergen):
    ask(client, bergen, task="example.flaky", kwargs={"fail_attempts": 1})
    r = client.delete(bergen.url("/plugins/example/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.json
    with app.app_context():
        sweep(now=utcnow() + dt.timedelta(hours=1))
    (job,) = jobs_of(app, bergen)
    assert (job.state, job.attempts) == ("failed", 2)
    assert job.error == "skipped: plugin 'example' is no longer enabled for Bergen; not run"


def test_the_same_idempotency_key_gives_the_same_job(app, bergen):
    with app.app_context(), tenant_scope(bergen.tenant):
        first = enqueue("example.remind", tenant=bergen.tenant, idempotency_key="report:2026-05")
        db.session.commit()
        again = enqueue("example.remind", tenant=bergen.tenant, idempotency_key="report:2026-05")
        db.session.commit()
        assert again.id == first.id
    assert len(jobs_of(app, bergen)) == 1


def test_enqueue_refuses_unknown_tasks_other_tenants_and_non_json_arguments(app, bergen, alta):
    with app.app_context(), tenant_scope(bergen.tenant):
        with pytest.raises(UnknownTask):
            enqueue("example.nope", tenant=bergen.tenant)
        with pytest.raises(Exception, match="while tenant"):
            enqueue("example.remind", tenant=alta.tenant)
        with pytest.raises(TypeError, match="JSON"):
            enqueue("example.remind", tenant=bergen.tenant, kwargs={"when": dt.date(2026, 1, 1)})
        db.session.rollback()
    assert jobs_of(app, bergen) == []

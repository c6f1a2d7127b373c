"""Jobs on a real Celery worker process, on the real Redis broker and PostgreSQL.

The worker (``celery -A tests.worker_app worker --pool solo``) builds the app as the tests do and
listens on a queue of its own; it connects to the test database as the application role, so the
jobs it runs pass row-level security exactly as in production."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.celery_processes import delete_keys, start_worker, unique_queue, wait_for
from tests.conftest import REDIS_URL
from tests.databases import app_config
from tests.helpers import make_municipality
from tests.plugins.example import ExamplePlugin
from velferd import create_app
from velferd.db import db
from velferd.jobs.celery_app import FAN_OUT
from velferd.models import AuditEvent, JobRun
from velferd.tenancy import tenant_scope

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PLUGINS = ["tests.plugins.example:ExamplePlugin"]


@pytest.fixture
def worker_app(db_url, database, tmp_path):
    """The web app and a worker, both on the test Redis and a queue of their own."""
    queue = unique_queue()
    config = app_config(db_url, database.owner_url or db_url, REDIS_URL=REDIS_URL, CELERY_QUEUE=queue,
                        REDBEAT_KEY_PREFIX=f"{queue}:redbeat:")
    app = create_app(config, plugins=[ExamplePlugin()])
    worker = start_worker(config, PLUGINS, tmp_path / "worker.log")
    yield app
    worker.stop()
    delete_keys(REDIS_URL, f"{queue}*")
    with app.app_context():
        db.engine.dispose()


def job(client, town, job_id) -> dict:
    r = client.get(town.url(f"/jobs/{job_id}"), headers=town.tenant_admin.headers)
    assert r.status_code == 200, r.json
    return r.json


def finished(client, town, job_id) -> dict:
    return wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed") else None)(job(client, town, job_id)),
                    f"job {job_id} to finish on the worker")


def test_a_job_asked_for_by_a_request_runs_on_the_worker_as_its_tenant(worker_app):
    bergen = make_municipality(worker_app, "bergen")
    make_municipality(worker_app, "alta")
    client = worker_app.test_client()
    r = client.post(bergen.url("/x/example/jobs"), json={"kwargs": {"note": "to the worker"}},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 202 and r.json["state"] in ("queued", "running", "succeeded")
    done = finished(client, bergen, r.json["id"])
    assert (done["state"], done["attempts"], done["error"]) == ("succeeded", 1, None)
    assert done["enqueued_at"] and done["created_at"] <= done["started_at"] <= done["finished_at"]
    assert done["started_at"] <= done["heartbeat_at"] <= done["finished_at"]  # the worker's sign of life
    assert done["result"]["tenant"] == "bergen" and done["result"]["kwargs"] == {"note": "to the worker"}
    assert done["result"]["rls_tenant_id"] == str(bergen.tenant.id)  # the worker's transaction is Bergen's


def test_a_failing_job_is_retried_with_backoff_then_failed_and_can_be_retried_from_the_api(worker_app):
    bergen = make_municipality(worker_app, "bergen")
    client = worker_app.test_client()
    admin = bergen.tenant_admin.headers
    assert client.patch(bergen.url("/plugins/example/settings"), json={"places": 0}, headers=admin).status_code == 200
    r = client.post(bergen.url("/x/example/jobs"), json={"task": "example.flaky", "kwargs": {"needs_places": True}},
                    headers=bergen.caseworker.headers)
    failed = finished(client, bergen, r.json["id"])
    assert (failed["state"], failed["attempts"], failed["max_attempts"]) == ("failed", 3, 3)
    assert failed["error"] == "RuntimeError: no places are configured"
    with worker_app.app_context(), tenant_scope(bergen.tenant):
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "example.flaky_ran")) == 0

    assert client.patch(bergen.url("/plugins/example/settings"), json={"places": 5}, headers=admin).status_code == 200
    r = client.post(bergen.url(f"/jobs/{failed['id']}/retry"), headers=admin)
    assert r.status_code == 202, r.json
    retried = finished(client, bergen, r.json["id"])
    assert (retried["state"], retried["retry_of_id"], retried["result"]) == (
        "succeeded", failed["id"], {"attempts": 1, "places": 5})
    assert job(client, bergen, failed["id"])["state"] == "failed"  # the failure stays on record
    assert client.post(bergen.url(f"/jobs/{retried['id']}/retry"), headers=admin).status_code == 409


def test_the_fan_out_task_on_the_worker_reaches_only_tenants_with_the_plugin(worker_app):
    bergen = make_municipality(worker_app, "bergen")
    alta = make_municipality(worker_app, "alta", plugins=())
    worker_app.extensions["celery"].send_task(FAN_OUT, args=["example-daily", "2026-05-04T07:00"], ignore_result=True)
    worker_app.extensions["celery"].send_task(FAN_OUT, args=["example-daily", "2026-05-04T07:00"], ignore_result=True)

    def bergens_jobs():
        with worker_app.app_context(), tenant_scope(bergen.tenant):
            jobs = db.session.scalars(sa.select(JobRun).where(JobRun.state == "succeeded")).all()
            db.session.commit()
            return jobs

    (done,) = wait_for(bergens_jobs, "the fanned-out job to succeed for Bergen")
    assert done.idempotency_key == "example-daily:2026-05-04T07:00"
    assert done.result["rls_tenant_id"] == str(bergen.tenant.id)
    client = worker_app.test_client()
    assert client.get(alta.url("/jobs"), headers=alta.tenant_admin.headers).json["items"] == []

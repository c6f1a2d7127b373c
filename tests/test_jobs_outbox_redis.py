"""Enqueueing never loses work: with the broker down the request still succeeds and the job waits
in the outbox (its JobRun row) until the sweeper sends it — exactly once — when Redis is back.

The Redis here is a server of the test's own on a free loopback port, killed and restarted; the
machine's shared Redis is never touched. No worker listens, so the message stays on the queue
where the test can count it."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
import redis
import sqlalchemy as sa

from tests.celery_processes import free_port, start_redis, stop_redis
from tests.databases import app_config
from tests.helpers import make_municipality
from tests.plugins.example import ExamplePlugin
from velferd import create_app
from velferd.db import db, utcnow
from velferd.jobs.sweeper import sweep
from velferd.models import JobRun
from velferd.tenancy import tenant_scope

pytestmark = pytest.mark.redis
QUEUE = "velferd"


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    server = start_redis(port, tmp_path)
    state = {"server": server, "port": port}
    yield state
    stop_redis(state["server"])


@pytest.fixture
def broker_app(db_url, database, own_redis):
    app = create_app(app_config(db_url, database.owner_url or db_url, REDIS_URL=f"redis://127.0.0.1:{own_redis['port']}/0"),
                     plugins=[ExamplePlugin()])
    yield app
    with app.app_context():
        db.engine.dispose()


def messages(port: int) -> list[dict]:
    client = redis.Redis(port=port)
    try:
        return [json.loads(raw) for raw in client.lrange(QUEUE, 0, -1)]
    finally:
        client.close()


def job_of(app, town) -> JobRun:
    with app.app_context(), tenant_scope(town.tenant):
        (job,) = db.session.scalars(sa.select(JobRun)).all()
        db.session.commit()
        return job


def test_a_request_succeeds_while_redis_is_down_and_the_sweeper_sends_its_job_once_redis_is_back(
        broker_app, own_redis, tmp_path):
    bergen = make_municipality(broker_app, "bergen")
    client = broker_app.test_client()
    stop_redis(own_redis["server"])

    r = client.post(bergen.url("/x/example/jobs"), json={"kwargs": {"note": "while down"}},
                    headers=bergen.caseworker.headers)
    assert r.status_code == 202, r.json
    job = job_of(broker_app, bergen)
    assert (job.id, job.state, job.enqueued_at) == (r.json["id"], "pending", None)
    with broker_app.app_context():
        assert sweep(pending_after=0) == 0  # still down: nothing sent, nothing lost
    assert job_of(broker_app, bergen).state == "pending"

    own_redis["server"] = start_redis(own_redis["port"], tmp_path)
    with broker_app.app_context():
        assert sweep(pending_after=0) == 1
        assert sweep(pending_after=0) == 0
    job = job_of(broker_app, bergen)
    assert job.state == "queued" and job.enqueued_at is not None
    (message,) = messages(own_redis["port"])
    headers = message["headers"]
    assert (headers["task"], headers["id"]) == ("velferd.run_idempotent_job", job.message_id)
    assert message["properties"]["body_encoding"] == "base64"
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert (args, kwargs) == ([bergen.tenant.id, job.id], {})


def test_with_redis_up_a_request_sends_its_job_after_the_commit(broker_app, own_redis):
    bergen = make_municipality(broker_app, "bergen")
    client = broker_app.test_client()
    r = client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers)
    assert r.status_code == 202 and r.json["state"] == "queued"
    assert [m["headers"]["id"] for m in messages(own_redis["port"])] == [job_of(broker_app, bergen).message_id]
    r = client.post(bergen.url("/x/example/jobs"), json={"fail_after_enqueue": True}, headers=bergen.caseworker.headers)
    assert r.status_code == 409
    assert len(messages(own_redis["port"])) == 1  # the rolled-back request sent nothing
    with broker_app.app_context():
        assert sweep(pending_after=0) == 0


def test_a_queued_job_whose_message_redis_lost_is_sent_again_and_one_still_waiting_is_not(broker_app, own_redis):
    bergen = make_municipality(broker_app, "bergen")
    client = broker_app.test_client()
    r = client.post(bergen.url("/x/example/jobs"), json={}, headers=bergen.caseworker.headers)
    assert r.status_code == 202 and r.json["state"] == "queued"
    first = job_of(broker_app, bergen).message_id
    later = utcnow() + dt.timedelta(minutes=5)  # long past JOBS_RESEND_QUEUED_AFTER_SECONDS
    with broker_app.app_context():
        assert sweep() == 0  # queued a moment ago
        assert sweep(now=later) == 0  # its message still waits in the queue: nothing to do
    assert [m["headers"]["id"] for m in messages(own_redis["port"])] == [first]

    redis.Redis(port=own_redis["port"]).flushall()  # Redis restarted without persistence
    with broker_app.app_context():
        assert sweep(now=later) == 1
    job = job_of(broker_app, bergen)
    assert job.state == "queued" and job.message_id != first
    assert [m["headers"]["id"] for m in messages(own_redis["port"])] == [job.message_id]


def test_a_running_job_whose_worker_died_is_sent_to_the_queue_again(broker_app, own_redis):
    bergen = make_municipality(broker_app, "bergen")
    silent_since = utcnow() - dt.timedelta(minutes=5)
    with broker_app.app_context(), tenant_scope(bergen.tenant):
        db.session.add(JobRun(tenant_id=bergen.tenant.id, task="example.remind", plugin="example", kwargs={},
                              state="running", attempts=1, message_id="message-of-the-dead-worker",
                              started_at=silent_since, heartbeat_at=silent_since))
        db.session.commit()
    with broker_app.app_context():
        assert sweep() == 1
    job = job_of(broker_app, bergen)
    assert job.state == "retrying" and job.error.startswith("worker lost (no heartbeat since ")
    (message,) = messages(own_redis["port"])
    assert message["headers"]["id"] == job.message_id != "message-of-the-dead-worker"

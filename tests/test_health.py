"""Liveness and readiness as the load balancer and Kubernetes see them."""

from __future__ import annotations

import time

import pytest

from tests.celery_processes import free_port, start_redis, stop_redis
from tests.conftest import REDIS_URL, _config
from velferd import create_app
from velferd.db import db

CLOSED_PORT = "postgresql+psycopg://root@127.0.0.1:1/x?connect_timeout=1"


def test_healthz_answers_200(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ok"}


def test_readyz_answers_200_when_the_database_answers(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok", "schema": "ok"}


def test_readyz_answers_503_quickly_when_the_database_is_down():
    app = create_app(_config(CLOSED_PORT))
    started = time.monotonic()
    r = app.test_client().get("/readyz")
    assert r.status_code == 503
    assert time.monotonic() - started < 10
    assert r.json["status"] == "unavailable"
    assert r.json["database"] == "OperationalError"
    assert r.headers["Retry-After"] == "10"
    assert "Traceback" not in r.get_data(as_text=True)


def test_healthz_stays_200_when_the_database_is_down():
    """Liveness checks nothing else, so a database outage does not make Kubernetes restart pods."""
    app = create_app(_config(CLOSED_PORT))
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_answers_503_when_redis_is_configured_but_down(db_url, database):
    app = create_app(_config(db_url, database.owner_url or db_url, REDIS_URL="redis://127.0.0.1:1/0"))
    started = time.monotonic()
    r = app.test_client().get("/readyz")
    assert r.status_code == 503
    assert time.monotonic() - started < 10
    assert r.json == {"status": "unavailable", "database": "ok", "schema": "ok", "redis": "ConnectionError"}
    with app.app_context():
        db.engine.dispose()


def _app_with_redis(db_url, database, redis_url):
    return create_app(_config(db_url, database.owner_url or db_url, REDIS_URL=redis_url))


@pytest.mark.redis
def test_readyz_reports_redis_ok_when_the_real_redis_answers(db_url, database):
    app = _app_with_redis(db_url, database, REDIS_URL)
    r = app.test_client().get("/readyz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok", "schema": "ok", "redis": "ok"}


@pytest.mark.redis
def test_readyz_turns_503_when_its_redis_dies_and_200_when_it_is_back(db_url, database, tmp_path):
    """A Redis of this test's own on a free loopback port, killed and restarted; the machine's
    shared Redis is never touched."""
    port = free_port()
    app = _app_with_redis(db_url, database, f"redis://127.0.0.1:{port}/0")
    client = app.test_client()
    server = start_redis(port, tmp_path)
    try:
        assert client.get("/readyz").json["redis"] == "ok"
        server.kill()
        server.wait(timeout=10)
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json["redis"] == "ConnectionError"
        server = start_redis(port, tmp_path)
        assert client.get("/readyz").status_code == 200
    finally:
        stop_redis(server)


def test_readyz_answers_503_naming_the_pending_migrations_of_a_database_behind_this_version(tmp_path):
    """A bad deploy: the database is at an old revision, so the instance is not ready, and says why."""
    from velferd.migrate import upgrade

    app = create_app(_config(f"sqlite:///{tmp_path / 'old.sqlite3'}", DATABASE_RETRY_AFTER_SECONDS=12))
    upgrade(app, "0001_core")
    r = app.test_client().get("/readyz")
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "12"
    assert r.json["database"] == "ok"
    assert "not up to date" in r.json["schema"] and "branch velferd up to 0" in r.json["schema"]
    assert "run `velferd db upgrade` first" in r.json["schema"]
    upgrade(app)
    assert app.test_client().get("/readyz").json == {"status": "ok", "database": "ok", "schema": "ok"}


def test_readyz_does_not_show_where_the_database_is(tmp_path):
    """Anyone who reaches the app may read /readyz: the schema problem, not the database's URL."""
    path = tmp_path / "empty.sqlite3"
    path.touch()
    r = create_app(_config(f"sqlite:///{path}")).test_client().get("/readyz")
    assert r.status_code == 503
    assert r.json["schema"] == "the database has no tables yet: run `velferd db upgrade` first"
    assert str(tmp_path) not in r.get_data(as_text=True)

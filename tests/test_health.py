"""Liveness and readiness as the load balancer and Kubernetes see them."""

from __future__ import annotations

import time

from velferd import create_app
from velferd.db import db

from tests.conftest import _config

CLOSED_PORT = "postgresql+psycopg://root@127.0.0.1:1/x?connect_timeout=1"


def test_healthz_answers_200(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ok"}


def test_readyz_answers_200_when_the_database_answers(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok"}


def test_readyz_answers_503_quickly_when_the_database_is_down():
    app = create_app(_config(CLOSED_PORT))
    started = time.monotonic()
    r = app.test_client().get("/readyz")
    assert r.status_code == 503
    assert time.monotonic() - started < 10
    assert r.json["status"] == "unavailable"
    assert r.json["database"] == "OperationalError"
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
    assert r.json == {"status": "unavailable", "database": "ok", "redis": "ConnectionError"}
    with app.app_context():
        db.engine.dispose()

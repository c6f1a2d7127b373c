"""Liveness and readiness for the load balancer and Kubernetes."""

from __future__ import annotations

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from velferd.database_outage import retry_after_seconds
from velferd.db import db
from velferd.schema_state import pending_schema

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process answers. Checks nothing else, so a database outage does not restart pods."""
    return jsonify(status="ok")


def _database_problems() -> dict[str, str | None]:
    """The database answers (else the error's kind), and has this version's schema (else what
    is pending, in the words the start-up refusal uses)."""
    app = current_app._get_current_object()
    try:
        with db.engine.connect() as connection:
            return {"database": None, "schema": pending_schema(app, connection)}
    except sa.exc.SQLAlchemyError as error:
        return {"database": type(error).__name__}


def _redis_problem(url: str) -> str | None:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        return type(error).__name__
    finally:
        client.close()
    return None


@blp.get("/readyz")
def readyz():
    """Ready to serve: the database answers and is at every installed branch's head, and Redis
    answers too where jobs go through it. Not ready is a 503 with ``Retry-After``."""
    checks = _database_problems()
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_problem(current_app.config["REDIS_URL"])
    body = {name: problem or "ok" for name, problem in checks.items()}
    if not any(checks.values()):
        return jsonify(status="ok", **body)
    return jsonify(status="unavailable", **body), 503, {"Retry-After": str(retry_after_seconds())}

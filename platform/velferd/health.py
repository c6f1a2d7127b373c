"""Liveness and readiness for the load balancer and Kubernetes."""

from __future__ import annotations

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from velferd.db import db

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process answers. Checks nothing else, so a database outage does not restart pods."""
    return jsonify(status="ok")


def _database_problem() -> str | None:
    try:
        db.session.execute(sa.text("select 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return type(error).__name__
    return None


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
    """Ready to serve: the database answers, and Redis too where jobs go through it."""
    checks = {"database": _database_problem()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis_problem(current_app.config["REDIS_URL"])
    body = {name: problem or "ok" for name, problem in checks.items()}
    ready = not any(checks.values())
    return jsonify(status="ok" if ready else "unavailable", **body), 200 if ready else 503

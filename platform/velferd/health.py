"""Liveness and readiness for the load balancer and Kubernetes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from velferd.db import db

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process answers. Checks nothing else, so a database outage does not restart pods."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """Ready to serve: the database answers."""
    try:
        db.session.execute(sa.text("select 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")

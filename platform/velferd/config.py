"""Configuration: safe defaults for the embedded demo, overridden by ``VELFERD_*`` variables.

``VELFERD_DATABASE_URL=postgresql+psycopg://…`` becomes ``DATABASE_URL``; values are parsed as
JSON where they can be (``VELFERD_TOKEN_DAYS=30`` is the number 30). In production
(``VELFERD_ENV=production``) the app refuses to start with the default secret key or without a
database URL, and says which variable to set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"


class ConfigurationError(RuntimeError):
    pass


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV": "development",
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "DATABASE_URL": None,
        "MIGRATION_DATABASE_URL": None,
        "DB_APP_ROLE": "velferd_app",
        "REDIS_URL": None,
        "LOAD_PLUGIN_ENTRY_POINTS": True,
        "TOKEN_DAYS": 90,
        # argon2id cost (argon2-cffi's defaults, RFC 9106's low-memory profile)
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST_KIB": 65536,
        "ARGON2_PARALLELISM": 4,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SQLITE_PATH": str(Path(instance_path) / "velferd.sqlite3"),
        # flask-smorest / OpenAPI
        "API_TITLE": "Velferd",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        # outgoing mail (invoices by e-mail): a local relay without auth unless configured
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 30,  # seconds for connecting and for each reply
        # sender of invoice e-mails when the tenant's billing profile names none
        "INVOICE_SENDER": "velferd@localhost",
        # the invoice run writes this many invoices per transaction (a crash rolls back one batch)
        "BILLING_INVOICES_PER_TRANSACTION": 200,
        # background jobs (velferd.jobs): no broker means jobs run in-process after the commit
        "CELERY_BROKER_URL": None,  # defaults to REDIS_URL
        "CELERY_RESULT_BACKEND": None,  # none: every job's outcome and result are kept on its JobRun
        "CELERY_QUEUE": "velferd",
        "CELERY_BROKER_TIMEOUT_SECONDS": 2,  # a request never waits longer on a dead broker
        "CELERY_VISIBILITY_TIMEOUT_SECONDS": 3600,  # unacknowledged idempotent jobs come back after this
        "REDBEAT_REDIS_URL": None,  # defaults to the broker
        "REDBEAT_KEY_PREFIX": "velferd:redbeat:",
        "REDBEAT_MAX_INTERVAL_SECONDS": 60,  # beat ticks (and a waiting beat retries the lock) at least this often
        "REDBEAT_LOCK_TIMEOUT_SECONDS": 300,  # a dead beat's lock expires after this (5 ticks)
        "JOBS_SWEEP_INTERVAL_SECONDS": 60,
        "JOBS_SWEEP_PENDING_AFTER_SECONDS": 5,  # younger pending jobs are still being sent by their request
        "JOBS_RETRY_GRACE_SECONDS": 30,  # a retry not started this long after its time is sent again
        "JOBS_RESEND_QUEUED_AFTER_SECONDS": 3600,  # a queued job not started after this is sent again
        # a job still running after this lost its worker (beyond Redis's 1 h redelivery): failed, retryable
        "JOBS_LOST_AFTER_SECONDS": 7200,
    }


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Defaults, then the environment, then explicit overrides (tests); then check and derive."""
    app.config.update(defaults(app.instance_path))
    app.config.from_prefixed_env("VELFERD")
    app.config.update(overrides or {})
    if app.config["ENV"] == "production":
        _check_production(app.config)
    url = app.config["DATABASE_URL"] or f"sqlite:///{app.config['SQLITE_PATH']}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True} if url.startswith("postgresql") else {})
    app.config["SESSION_COOKIE_SECURE"] = app.config["ENV"] == "production"
    if app.config["CELERY_BROKER_URL"] is None:
        app.config["CELERY_BROKER_URL"] = app.config["REDIS_URL"]


def _check_production(config: Mapping[str, Any]) -> None:
    missing = []
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        missing.append("VELFERD_SECRET_KEY (a long random value; the default is for development only)")
    if not config.get("DATABASE_URL"):
        missing.append("VELFERD_DATABASE_URL (the PostgreSQL URL the application connects with)")
    if missing:
        raise ConfigurationError("production configuration is incomplete; set " + " and ".join(missing))

"""Configuration: safe defaults for the embedded demo, overridden by ``VELFERD_*`` variables.

``VELFERD_DATABASE_URL=postgresql+psycopg://…`` becomes ``DATABASE_URL``. Every setting is typed
and checked when the app is built, so a bad value stops the start with a message naming the
variable (``VELFERD_TOKEN_DAYS=abc``), instead of a 500 on the first request that reads it.

A setting's type is its default's type (``TOKEN_DAYS: 90`` is a non-negative integer, ``False``
a boolean, a string a string; ``None`` an optional string), so adding a setting is one line in
:func:`defaults`; :data:`TYPES` narrows the few that need more (choices, ranges, optional
numbers). A value is read as its text where the type takes it (``30`` for a number, ``yes`` for a
boolean), else as JSON (``null`` is no value, ``"text"`` is text); pydantic parses and gives the
reason, never the value. In production
(``VELFERD_ENV=production``) the app also refuses development secrets and a missing database URL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Optional

import pydantic
from flask import Flask

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"
#: Secret keys seen in examples and templates: never a production key, whatever their length.
PLACEHOLDER_SECRET_KEYS = frozenset({
    DEFAULT_SECRET_KEY, "changeme", "change-me", "change_me", "secret", "secret-key", "secret_key", "secretkey",
    "your-secret-key", "your_secret_key", "supersecret", "super-secret-key", "development", "dev", "test",
    "testing", "password", "insecure", "default", "replace-me", "replaceme", "xxx", "todo",
})
MIN_SECRET_KEY_LENGTH = 32
#: A key made of this few different characters ("aaaa…", "changemechangeme…") is not random.
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10
ENV_PREFIX = "VELFERD_"


class ConfigurationError(RuntimeError):
    """The settings would not run: raised while the app is built, naming the variables to fix."""


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV": "development",
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "DATABASE_URL": None,
        "MIGRATION_DATABASE_URL": None,
        "DB_APP_ROLE": "velferd_app",
        "REDIS_URL": None,
        # seconds a 503 asks the caller to wait while the database cannot be reached (Retry-After)
        "DATABASE_RETRY_AFTER_SECONDS": 10,
        # a read's audit rows commit with synchronous_commit off (velferd.commits)
        "ASYNC_READ_COMMITS": True,
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
        "SMTP_TIMEOUT": 30.0,  # seconds for connecting and for each reply
        # sender of invoice e-mails when the tenant's billing profile names none
        "INVOICE_SENDER": "velferd@localhost",
        # sender of the daily deadline reminders, and the site's address their link starts with
        "REMINDER_SENDER": "velferd@localhost",
        "PUBLIC_URL": "http://localhost:5000",
        # the invoice run writes this many invoices per transaction (a crash rolls back one batch)
        "BILLING_INVOICES_PER_TRANSACTION": 200,
        # a run also bills (or credits) what changed in the billed months this far back (billing.catch_up)
        "BILLING_CATCH_UP_MONTHS": 12,
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
        "JOBS_SWEEP_INTERVAL_SECONDS": 30,  # beat sweeps the outbox and recovers dead jobs this often
        "JOBS_SWEEP_PENDING_AFTER_SECONDS": 5,  # younger pending jobs are still being sent by their request
        "JOBS_RETRY_GRACE_SECONDS": 30,  # a retry not started this long after its time is sent again
        # a queued job not started after this whose message no longer waits in the queue is sent again
        "JOBS_RESEND_QUEUED_AFTER_SECONDS": 60,
        "JOBS_HEARTBEAT_SECONDS": 10,  # a worker renews a running job's heartbeat this often
        # a running job without a heartbeat for this long lost its worker: sent again if idempotent, else failed
        "JOBS_HEARTBEAT_TIMEOUT_SECONDS": 45,
        # a job run in a web process (no heartbeat) still running after this lost its process: failed, retryable
        "JOBS_LOST_AFTER_SECONDS": 7200,
        # without a broker, each web process sweeps its due retries this often (0: only `velferd jobs sweep`)
        "JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 15.0,
        # a request body larger than this is refused with a 413 (Flask's MAX_CONTENT_LENGTH)
        "MAX_REQUEST_BYTES": 1048576,
        # reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed (0: none)
        "TRUSTED_PROXIES": 0,
        # other origins (scheme://host[:port], space-separated) whose pages may post with the session cookie
        "TRUSTED_ORIGINS": "",
        # a login session ends after this many minutes without a request, and this many hours after login
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        # failed logins allowed per account and per client address ("N per M minutes", ";" between limits)
        "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "50 per 15 minutes",
        "LOGIN_THROTTLE_KEY_PREFIX": "velferd:login:",  # keys of those counters in Redis
        # days a tenant admin's invitation can be accepted
        "INVITATION_DAYS": 7,
        # /metrics (velferd.metrics): off unless a scraper's bearer token or its networks (CIDRs, commas) are set
        "METRICS_TOKEN": None,
        "METRICS_ALLOWED_NETWORKS": "",
        "METRICS_DATABASE_SECONDS": 30.0,  # a process re-reads /metrics' database figures at most this often
    }


#: Types that a setting's default does not tell; every other setting has its default's type.
TYPES: dict[str, Any] = {
    "ENV": Literal["development", "production"],
    "SESSION_COOKIE_SAMESITE": Optional[Literal["Lax", "Strict", "None"]],
    "SMTP_PORT": Annotated[int, pydantic.Field(ge=1, le=65535)],
    "BILLING_CATCH_UP_MONTHS": Annotated[int, pydantic.Field(ge=0, le=120)],  # 0: no catch-up
}
#: Seconds, amounts: a finite number, never negative (``inf`` would wait for ever).
Duration = Annotated[float, pydantic.Field(ge=0, allow_inf_nan=False)]
#: What a default's type means as a setting: counts and durations are never negative.
_INFERRED = {bool: bool, int: pydantic.NonNegativeInt, float: Duration, str: str}


def setting_type(name: str, default: Any) -> Any:
    """The type a setting is validated against: TYPES, else inferred from its default."""
    if name in TYPES:
        return TYPES[name]
    if default is None:
        return Optional[str]
    return _INFERRED.get(type(default), type(default))


def _readings(text: str) -> list[Any]:
    """What an environment value may mean, in the order tried: a JSON string or ``null`` is what
    it says; otherwise the text itself (pydantic reads ``30`` as a number where one is wanted,
    and a text setting keeps its digits), then its JSON value (a list, say)."""
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    if isinstance(value, str) or value is None:
        return [value]
    return [text, value]


def _validated(expected: Any, readings: list[Any]) -> Any:
    """The first reading the type accepts; pydantic's error about the last one otherwise."""
    adapter = pydantic.TypeAdapter(expected)
    for reading in readings[:-1]:
        try:
            return adapter.validate_python(reading)
        except pydantic.ValidationError:
            continue
    return adapter.validate_python(readings[-1])


def _reason(error: pydantic.ValidationError) -> str:
    """pydantic's reason without the value (which may be a password or a secret key)."""
    return "; ".join(detail["msg"] for detail in error.errors(include_input=False, include_url=False))


def typed_settings(defaults_: Mapping[str, Any], environ: Mapping[str, str],
                   overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults, then ``VELFERD_*`` variables, then explicit overrides, each known setting
    validated against its type. Every bad setting is named in one error, so one restart fixes all.
    Unknown ``VELFERD_*`` variables pass through as Flask would read them (Flask's own settings)."""
    settings, problems = dict(defaults_), []
    for key, text in environ.items():
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX):] not in defaults_:
            settings[key[len(ENV_PREFIX):]] = _readings(text)[-1]
    for name, default in defaults_.items():
        expected, variable = setting_type(name, default), ENV_PREFIX + name
        given = [(variable, _readings(environ[variable]))] if variable in environ else []
        if name in overrides:
            given.append((f"{name} (override)", [overrides[name]]))
        for source, readings in given:
            try:
                settings[name] = _validated(expected, readings)
            except pydantic.ValidationError as error:
                problems.append(f"{source}: {_reason(error)}")
    settings.update({key: value for key, value in overrides.items() if key not in defaults_})
    if problems:
        raise ConfigurationError("invalid configuration: " + "; ".join(problems))
    return settings


def load(app: Flask, overrides: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> None:
    """Defaults, then the environment, then explicit overrides (tests); then check and derive."""
    app.config.update(typed_settings(defaults(app.instance_path), os.environ if environ is None else environ,
                                     overrides or {}))
    if app.config["ENV"] == "production":
        _check_production(app.config)
    url = app.config["DATABASE_URL"] or f"sqlite:///{app.config['SQLITE_PATH']}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # no pool_pre_ping: velferd.connection_check asks each lent connection's socket instead of the server
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    app.config["SESSION_COOKIE_SECURE"] = app.config["ENV"] == "production"
    if app.config["CELERY_BROKER_URL"] is None:
        app.config["CELERY_BROKER_URL"] = app.config["REDIS_URL"]


def secret_key_problem(secret: str | None) -> str | None:
    """Why a secret key is unfit for production, or None when it will do."""
    if not secret:
        return "is not set"
    if secret.strip().lower() in PLACEHOLDER_SECRET_KEYS:
        return "is a well-known placeholder"
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        return f"is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    if len(set(secret)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_SECRET_KEY_DISTINCT_CHARACTERS} different characters"
    return None


def _check_production(config: Mapping[str, Any]) -> None:
    missing = []
    secret_problem = secret_key_problem(config.get("SECRET_KEY"))
    if secret_problem:
        missing.append(f"VELFERD_SECRET_KEY (it {secret_problem}; use at least {MIN_SECRET_KEY_LENGTH} random "
                       "characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")
    if not config.get("DATABASE_URL"):
        missing.append("VELFERD_DATABASE_URL (the PostgreSQL URL the application connects with)")
    if missing:
        raise ConfigurationError("production configuration is incomplete; set " + " and ".join(missing))

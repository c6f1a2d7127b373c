"""Throw-away databases for the suite: one migrated template per session, a clean copy per test.

SQLite: the template is a migrated file, copied for each test. PostgreSQL: a database of its
own, migrated as its owner; each test truncates it, and the app connects as a separate role that
owns nothing and is subject to row-level security — as in production. A plugin's tests pass the
plugin so that ``upgrade heads`` also creates its tables on its own Alembic branch.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from velferd import create_app
from velferd.db import db
from velferd.migrate import upgrade

PG_URL = os.environ.get("VELFERD_TEST_DATABASE_URL")
APP_ROLE = "velferd_app_test"


@dataclass
class Database:
    app_url: str
    owner_url: str
    backend: str
    template: str | None = None
    tables: list[str] = field(default_factory=list)


def app_config(app_url: str, owner_url: str | None = None, **extra) -> dict:
    return {
        "TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url, "DB_APP_ROLE": APP_ROLE,
        "LOAD_PLUGIN_ENTRY_POINTS": False,
        # no background sweeps under tests that sweep by hand (tests/test_embedded_retries.py turns it on)
        "JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS": 0,
        # still argon2id, at the lowest cost: production cost would take ~0.1 s per staff member
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST_KIB": 8, "ARGON2_PARALLELISM": 1,
        **extra,
    }


def _migrate(owner_url: str, app_url: str, plugins: Iterable[Any]) -> None:
    upgrade(create_app(app_config(app_url, owner_url), plugins=list(plugins)))


@contextmanager
def migrated_database(folder: Path, name: str, plugins: Iterable[Any] = ()) -> Iterator[Database]:
    """Create and migrate a database for a test session; drop it afterwards (PostgreSQL)."""
    plugins = list(plugins)
    if not PG_URL:
        template = folder / "template.sqlite3"
        url = f"sqlite:///{template}"
        _migrate(url, url, plugins)
        yield Database(app_url="", owner_url="", backend="sqlite", template=str(template))
        return
    server = make_url(PG_URL)
    db_name = f"{name}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {db_name}"))
        if not conn.scalar(sa.text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}):
            conn.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner_url = server.set(database=db_name).render_as_string(hide_password=False)
    app_url = server.set(database=db_name, username=APP_ROLE, password=None).render_as_string(hide_password=False)
    _migrate(owner_url, app_url, plugins)
    owner = sa.create_engine(owner_url)
    with owner.connect() as conn:
        tables = conn.scalars(sa.text(
            "select tablename from pg_tables where schemaname = 'public' and tablename <> 'alembic_version'"
        )).all()
    owner.dispose()
    try:
        yield Database(app_url=app_url, owner_url=owner_url, backend="postgresql", tables=list(tables))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE {db_name} WITH (FORCE)"))
        admin.dispose()


def clean_database_url(database: Database, folder: Path) -> str:
    """A clean database for one test: a copy of the migrated SQLite file, or truncated PostgreSQL."""
    if database.backend == "sqlite":
        path = folder / "velferd.sqlite3"
        shutil.copy(database.template, path)
        return f"sqlite:///{path}"
    engine = sa.create_engine(database.owner_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(database.tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return database.app_url


@contextmanager
def running_app(database: Database, url: str, plugins: Iterable[Any], instance: Path, **config) -> Iterator[Flask]:
    """An app on `url` with exactly `plugins`, its instance folder (invoice files, exports) the
    test's own and inherited by worker processes; its connections closed afterwards. No app
    context is left pushed, so every test request gets its own context, `g` and session."""
    os.environ["VELFERD_INSTANCE_PATH"] = str(instance)
    app = create_app(app_config(url, database.owner_url or url, **config), plugins=list(plugins))
    try:
        yield app
    finally:
        os.environ.pop("VELFERD_INSTANCE_PATH", None)
        with app.app_context():
            db.engine.dispose()

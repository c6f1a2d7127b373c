"""Throw-away databases for the suite: one migrated template per session, a clean copy per test.

SQLite: the template is a migrated file, copied for each test. PostgreSQL: a database of its
own, migrated as its owner; each test empties it, and the app connects as a separate role that
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

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from velferd import create_app
from velferd.db import db
from velferd.migrate import upgrade
from velferd.testing import app_with_plugins, test_config

PG_URL = os.environ.get("VELFERD_TEST_DATABASE_URL")
APP_ROLE = "velferd_app_test"


@dataclass
class Database:
    app_url: str
    owner_url: str
    backend: str
    template: str | None = None
    tables: list[str] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)  # PostgreSQL: sequence → its start value


def app_config(app_url: str, owner_url: str | None = None, **extra) -> dict:
    """The shipped test configuration (velferd.testing), with the suite's two database roles:
    the app connects as the unprivileged role, migrations run as the owner."""
    return test_config(app_url, MIGRATION_DATABASE_URL=owner_url, DB_APP_ROLE=APP_ROLE, **extra)


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
        sequences = dict(conn.execute(sa.text(
            "select quote_ident(sequencename), start_value from pg_sequences where schemaname = 'public'")).all())
    owner.dispose()
    try:
        yield Database(app_url=app_url, owner_url=owner_url, backend="postgresql", tables=list(tables),
                       sequences=sequences)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE {db_name} WITH (FORCE)"))
        admin.dispose()


def clean_database_url(database: Database, folder: Path) -> str:
    """A clean database for one test: a copy of the migrated SQLite file, or PostgreSQL emptied (`emptying_sql`)."""
    if database.backend == "sqlite":
        path = folder / "velferd.sqlite3"
        shutil.copy(database.template, path)
        return f"sqlite:///{path}"
    engine = sa.create_engine(database.owner_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(emptying_sql(database))
    engine.dispose()
    return database.app_url


def emptying_sql(database: Database) -> str:
    """Every row deleted and every sequence back at its start, as ``TRUNCATE … RESTART IDENTITY``
    would leave them — but TRUNCATE gives each of the few dozen tables new files: ~20 ms a test on
    a quiet machine, up to ~0.5 s while the disk is busy, where deleting the handful of rows a test
    wrote takes 1–2 ms. Foreign keys (triggers) are off for the transaction (the owner is a
    superuser), so no order of tables is needed."""
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f"DELETE FROM {table}" for table in database.tables]
    statements += _positioning_sql({name: (start, False) for name, start in database.sequences.items()})
    return "; ".join(statements)


def _positioning_sql(sequences: dict[str, tuple[int, bool]]) -> list[str]:
    """The statement that puts each sequence at (last_value, is_called), if there are any."""
    if not sequences:
        return []
    return ["SELECT " + ", ".join(f"setval('{name}', {last}, {called})" for name, (last, called) in sequences.items())]


@dataclass
class Snapshot:
    """The rows (and invoice files) of a database seeded once, put back for each test that starts
    from them: SQLite keeps a copy of the file, PostgreSQL copies of the tables in a schema of
    their own and the sequences' positions."""

    database: Database
    instance: Path
    copy: str  # SQLite: the file; PostgreSQL: the schema
    tables: list[str] = field(default_factory=list)  # PostgreSQL: those with rows
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)  # name → (last_value, is_called)


@contextmanager
def seeded_snapshot(database: Database, folder: Path, plugins: Iterable[Any], seed) -> Iterator[tuple[Snapshot, Any]]:
    """Seed a clean `database` once — ``seed(app, client)`` on an app with `plugins`, through the
    API as a test would — and keep a snapshot of it; yields (snapshot, what `seed` returned).
    For a module whose tests each start from the same populated towns: seeding them per test was
    most of those tests' time. Pair with `restore_snapshot` in a function-scoped fixture."""
    url = clean_database_url(database, folder)
    with running_app(database, url, plugins, folder / "instance") as app:
        seeded = seed(app, app.test_client())
    if database.backend == "sqlite":
        snapshot = Snapshot(database, folder / "instance", str(folder / "snapshot.sqlite3"))
        shutil.copy(url.removeprefix("sqlite:///"), snapshot.copy)
        yield snapshot, seeded
        return
    snapshot = Snapshot(database, folder / "instance", f"snapshot_{uuid.uuid4().hex[:10]}")
    engine = sa.create_engine(database.owner_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {snapshot.copy}")
            for table in database.tables:
                if conn.scalar(sa.text(f"select exists (select from {table})")):
                    conn.exec_driver_sql(f"CREATE TABLE {snapshot.copy}.{table} AS TABLE public.{table}")
                    snapshot.tables.append(table)
            for name in database.sequences:
                position = conn.execute(sa.text(f"select last_value, is_called from {name}")).one()
                snapshot.sequences[name] = tuple(position)
        yield snapshot, seeded
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {snapshot.copy} CASCADE")
        engine.dispose()


def seeded_once(seed, *plugin_types):
    """A module-scoped fixture: `seeded_snapshot` of ``seed(app, client)`` on the session's
    database, the app built with one of each of `plugin_types`; yields (snapshot, seeded)."""

    @pytest.fixture(scope="module")
    def fixture(database, tmp_path_factory):
        folder = tmp_path_factory.mktemp(f"seeded_{seed.__name__}")
        with seeded_snapshot(database, folder, [kind() for kind in plugin_types], seed) as seeded:
            yield seeded

    return fixture


def restore_snapshot(snapshot: Snapshot, app: Flask) -> None:
    """Put `snapshot` back into the (clean) database of `app`, and its invoice files into the
    app's instance folder: the test then sees the seeded towns as if it had seeded them itself."""
    with app.app_context():
        url = db.engine.url
        db.engine.dispose()
    if snapshot.instance.exists():
        shutil.copytree(snapshot.instance, app.instance_path, dirs_exist_ok=True)
    if snapshot.database.backend == "sqlite":
        shutil.copy(snapshot.copy, url.database)
        return
    statements = [emptying_sql(snapshot.database)]
    statements += [f"INSERT INTO public.{table} SELECT * FROM {snapshot.copy}.{table}" for table in snapshot.tables]
    statements += _positioning_sql(snapshot.sequences)
    engine = sa.create_engine(snapshot.database.owner_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("; ".join(statements))
    engine.dispose()


@contextmanager
def running_app(database: Database, url: str, plugins: Iterable[Any], instance: Path, **config) -> Iterator[Flask]:
    """An app on `url` with exactly `plugins`, its instance folder (invoice files, exports) the
    test's own and inherited by worker processes; its connections closed afterwards. No app
    context is left pushed, so every test request gets its own context, `g` and session."""
    roles = {"MIGRATION_DATABASE_URL": database.owner_url or url, "DB_APP_ROLE": APP_ROLE}
    with app_with_plugins(url, plugins, instance, **{**roles, **config}) as app:  # a test may override either
        yield app

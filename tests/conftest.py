"""Fixtures: an app on a freshly migrated database, and two municipalities side by side.

The database is SQLite unless ``VELFERD_TEST_DATABASE_URL`` points at PostgreSQL, in which case
a throw-away database is created, migrated as its owner, and the app connects as a separate
role that owns nothing and is subject to row-level security — as in production.

Entry-point autoloading is off, so what happens to be installed does not change results;
plugins a test needs are registered by fixtures (datasette style).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.helpers import make_municipality
from tests.plugins.example import ExamplePlugin
from velferd import create_app
from velferd.migrate import upgrade

PG_URL = os.environ.get("VELFERD_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("VELFERD_TEST_REDIS_URL")
REQUIRE_SERVICES = os.environ.get("VELFERD_REQUIRE_SERVICES") == "1"
APP_ROLE = "velferd_app_test"


def _skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, but VELFERD_REQUIRE_SERVICES=1 says it must run")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not PG_URL:
        _skip_or_fail("needs PostgreSQL: set VELFERD_TEST_DATABASE_URL")
    if item.get_closest_marker("redis") and not REDIS_URL:
        _skip_or_fail("needs Redis: set VELFERD_TEST_REDIS_URL")


@dataclass
class Database:
    app_url: str
    owner_url: str
    backend: str
    template: str | None = None
    tables: list[str] = field(default_factory=list)


def _migrate(owner_url: str, app_url: str) -> None:
    app = create_app(_config(app_url, owner_url))
    upgrade(app)


def _config(app_url: str, owner_url: str | None = None, **extra) -> dict:
    return {
        "TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": app_url,
        "MIGRATION_DATABASE_URL": owner_url, "DB_APP_ROLE": APP_ROLE,
        "LOAD_PLUGIN_ENTRY_POINTS": False,
        # still argon2id, at the lowest cost: production cost would take ~0.1 s per staff member
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST_KIB": 8, "ARGON2_PARALLELISM": 1,
        **extra,
    }


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    if not PG_URL:
        template = tmp_path_factory.mktemp("db") / "template.sqlite3"
        url = f"sqlite:///{template}"
        _migrate(url, url)
        yield Database(app_url="", owner_url="", backend="sqlite", template=str(template))
        return
    server = make_url(PG_URL)
    name = f"velferd_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
        if not conn.scalar(sa.text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}):
            conn.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner_url = server.set(database=name).render_as_string(hide_password=False)
    app_url = server.set(database=name, username=APP_ROLE, password=None).render_as_string(hide_password=False)
    _migrate(owner_url, app_url)
    owner = sa.create_engine(owner_url)
    with owner.connect() as conn:
        tables = conn.scalars(sa.text(
            "select tablename from pg_tables where schemaname = 'public' and tablename <> 'alembic_version'"
        )).all()
    owner.dispose()
    yield Database(app_url=app_url, owner_url=owner_url, backend="postgresql", tables=list(tables))
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def db_url(database, tmp_path):
    """A clean database for one test: a copy of the migrated SQLite file, or truncated PostgreSQL."""
    if database.backend == "sqlite":
        path = tmp_path / "velferd.sqlite3"
        shutil.copy(database.template, path)
        return f"sqlite:///{path}"
    engine = sa.create_engine(database.owner_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(database.tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return database.app_url


@pytest.fixture
def example_plugin():
    return ExamplePlugin()


@pytest.fixture
def app(db_url, database, example_plugin):
    """The app with the example plugin. No app context is left pushed, so every test request
    gets its own context, `g` and session, as in production; use `with app.app_context()`."""
    app = create_app(_config(db_url, database.owner_url or db_url), plugins=[example_plugin])
    yield app
    from velferd.db import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def bergen(app):
    """Bergen with staff in every core role and the example plugin enabled."""
    return make_municipality(app, "bergen")


@pytest.fixture
def alta(app):
    """Alta, the neighbour whose data Bergen must never see (and vice versa)."""
    return make_municipality(app, "alta")

"""Fixtures: an app on a freshly migrated database, and two municipalities side by side.

The database is SQLite unless ``VELFERD_TEST_DATABASE_URL`` points at PostgreSQL, in which case
a throw-away database is created, migrated as its owner, and the app connects as a separate
role that owns nothing and is subject to row-level security — as in production.

Entry-point autoloading is off, so what happens to be installed does not change results;
plugins a test needs are registered by fixtures (datasette style).
"""

from __future__ import annotations

import os

import pytest

from tests.databases import APP_ROLE, PG_URL, Database, clean_database_url, migrated_database, running_app
from tests.databases import app_config as _config
from tests.helpers import make_municipality
from tests.plugins.example import ExamplePlugin

#: Fixtures shared by several modules without importing them by name: a PostgreSQL cluster of
#: a test's own (`own_cluster`); and the scan of the run's logs for national ids and names.
pytest_plugins = ["tests.postgres_cluster", "tests.web.browser", "tests.log_scan"]

__all__ = ["APP_ROLE", "PG_URL", "Database", "_config"]  # imported by test modules and plugin conftests

REDIS_URL = os.environ.get("VELFERD_TEST_REDIS_URL")

# An app built from the environment alone (the wsgi/worker entry modules, in-process) would start
# the embedded sweeper's thread on its first request, and the thread would outlive its test and
# its database. Tests that are about the sweeper switch it on in their own configuration.
os.environ.setdefault("VELFERD_JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS", "0")
REQUIRE_SERVICES = os.environ.get("VELFERD_REQUIRE_SERVICES") == "1"


def _skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, but VELFERD_REQUIRE_SERVICES=1 says it must run")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not PG_URL:
        _skip_or_fail("needs PostgreSQL: set VELFERD_TEST_DATABASE_URL")
    if item.get_closest_marker("redis") and not REDIS_URL:
        _skip_or_fail("needs Redis: set VELFERD_TEST_REDIS_URL")


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("db"), "velferd_test") as database:
        yield database


@pytest.fixture
def db_url(database, tmp_path):
    """A clean database for one test: a copy of the migrated SQLite file, or emptied PostgreSQL."""
    return clean_database_url(database, tmp_path)


@pytest.fixture
def example_plugin():
    return ExamplePlugin()


@pytest.fixture
def app(db_url, database, example_plugin, tmp_path):
    """The app with the example plugin (see `running_app`); use `with app.app_context()`."""
    with running_app(database, db_url, [example_plugin], tmp_path / "instance") as app:
        yield app


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


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps every message; see
    tests/smtp.py. ``app.config.update(smtp_server.config)`` points the app at it."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def unreachable_smtp():
    """SMTP settings for a loopback port where connections are refused (the server is down)."""
    from tests.smtp import UnreachableSmtp

    server = UnreachableSmtp()
    yield server
    server.stop()


@pytest.fixture
def silent_smtp():
    """SMTP settings for a loopback port that accepts but never greets (the client times out)."""
    from tests.smtp import SilentSmtp

    server = SilentSmtp()
    yield server
    server.stop()

"""Fixtures for the nav_split plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_nav_split` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite.
"""

from __future__ import annotations

import shutil
import uuid

import pytest
import sqlalchemy as sa
import velferd_nav_split
from sqlalchemy.engine import make_url

from tests.conftest import APP_ROLE, PG_URL, Database, _config
from tests.helpers import make_municipality
from velferd import create_app
from velferd.migrate import upgrade

CORE_ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator")
PLUGIN_ROLES = tuple(velferd_nav_split.MANIFEST.roles)


def _migrate(owner_url: str, app_url: str) -> None:
    upgrade(create_app(_config(app_url, owner_url), plugins=[velferd_nav_split]))


@pytest.fixture(scope="session")
def nav_database(tmp_path_factory):
    if not PG_URL:
        template = tmp_path_factory.mktemp("nav_split_db") / "template.sqlite3"
        url = f"sqlite:///{template}"
        _migrate(url, url)
        yield Database(app_url="", owner_url="", backend="sqlite", template=str(template))
        return
    server = make_url(PG_URL)
    name = f"velferd_nav_split_{uuid.uuid4().hex[:10]}"
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
def nav_db_url(nav_database, tmp_path):
    if nav_database.backend == "sqlite":
        path = tmp_path / "nav_split.sqlite3"
        shutil.copy(nav_database.template, path)
        return f"sqlite:///{path}"
    engine = sa.create_engine(nav_database.owner_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(nav_database.tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return nav_database.app_url


@pytest.fixture
def app(nav_db_url, nav_database):
    """The app with only the nav_split plugin (overrides the suite's `app` in this folder)."""
    app = create_app(_config(nav_db_url, nav_database.owner_url or nav_db_url), plugins=[velferd_nav_split])
    yield app
    from velferd.db import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def kristiansand(app):
    """Kristiansand with nav_split enabled and one staff member per core and plugin role."""
    return make_municipality(app, "kristiansand", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("nav_split",))


@pytest.fixture
def alta(app):
    """Another Norwegian municipality that has enabled nav_split as well, with its own staff."""
    return make_municipality(app, "alta", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("nav_split",))


@pytest.fixture
def bergen(app):
    """A municipality that has not enabled nav_split."""
    return make_municipality(app, "bergen", roles=CORE_ROLES + PLUGIN_ROLES, plugins=())

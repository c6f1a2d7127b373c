"""Fixtures for the due plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_due` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite: the
plugin is registered the way the entry point would, by its module object.
"""

from __future__ import annotations

import pytest
import velferd_due

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality

ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance")


@pytest.fixture(scope="session")
def due_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("due_db"), "velferd_due", plugins=[velferd_due]) as database:
        yield database


@pytest.fixture
def due_db_url(due_database, tmp_path):
    return clean_database_url(due_database, tmp_path)


@pytest.fixture
def app(due_db_url, due_database, tmp_path):
    """The app with only the due plugin (overrides the suite's `app` in this folder). No Redis:
    jobs run in-process after commit, the embedded default."""
    with running_app(due_database, due_db_url, [velferd_due], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def bergen(app):
    """Bergen with DUE enabled and one staff member per core role."""
    return make_municipality(app, "bergen", roles=ROLES, plugins=("due",))


@pytest.fixture
def alta(app):
    """Another Norwegian municipality that has enabled DUE too, with its own staff."""
    return make_municipality(app, "alta", roles=ROLES, plugins=("due",))


@pytest.fixture
def kristiansand(app):
    """A municipality that has not enabled DUE."""
    return make_municipality(app, "kristiansand", roles=ROLES, plugins=())

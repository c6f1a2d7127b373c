"""Fixtures for the nav_split plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_nav_split` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite.
"""

from __future__ import annotations

import pytest
import velferd_nav_split

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality

CORE_ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator")
PLUGIN_ROLES = tuple(velferd_nav_split.MANIFEST.roles)


@pytest.fixture(scope="session")
def nav_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("nav_split_db"), "velferd_nav_split",
                           plugins=[velferd_nav_split]) as database:
        yield database


@pytest.fixture
def nav_db_url(nav_database, tmp_path):
    return clean_database_url(nav_database, tmp_path)


@pytest.fixture
def app(nav_db_url, nav_database, tmp_path):
    """The app with only the nav_split plugin (overrides the suite's `app` in this folder)."""
    with running_app(nav_database, nav_db_url, [velferd_nav_split], tmp_path / "instance") as app:
        yield app


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

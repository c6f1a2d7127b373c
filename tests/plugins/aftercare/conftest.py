"""Fixtures for the aftercare plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_aftercare` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite.
"""

from __future__ import annotations

import pytest
import velferd_aftercare

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality

CORE_ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance")
PLUGIN_ROLES = tuple(velferd_aftercare.MANIFEST.roles)


@pytest.fixture(scope="session")
def aftercare_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("aftercare_db"), "velferd_aftercare",
                           plugins=[velferd_aftercare]) as database:
        yield database


@pytest.fixture
def aftercare_db_url(aftercare_database, tmp_path):
    return clean_database_url(aftercare_database, tmp_path)


@pytest.fixture
def app(aftercare_db_url, aftercare_database, tmp_path):
    """The app with only the aftercare plugin (overrides the suite's `app` in this folder)."""
    with running_app(aftercare_database, aftercare_db_url, [velferd_aftercare], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def alta(app):
    """Alta with aftercare enabled and one staff member per core and plugin role."""
    return make_municipality(app, "alta", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("aftercare",))


@pytest.fixture
def bergen(app):
    """A municipality that has not enabled aftercare."""
    return make_municipality(app, "bergen", roles=CORE_ROLES + PLUGIN_ROLES, plugins=())


@pytest.fixture
def kristiansand(app):
    """A second municipality with aftercare enabled: Alta's records must be out of its reach too
    (tests/plugins/aftercare/test_aftercare_isolation.py)."""
    return make_municipality(app, "kristiansand", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("aftercare",))


@pytest.fixture
def browse(app):
    """`browse(town, role)`: a browser logged in as that staff member, the pages in English."""
    from tests.web.pages import browser_for

    return browser_for(app)

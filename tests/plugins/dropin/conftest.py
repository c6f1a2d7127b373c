"""Fixtures for the dropin plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_dropin` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite.
"""

from __future__ import annotations

import pytest
import velferd_dropin

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality

CORE_ROLES = ("tenant_admin", "caseworker", "leader", "auditor", "coordinator", "finance")
PLUGIN_ROLES = tuple(velferd_dropin.MANIFEST.roles)


@pytest.fixture(scope="session")
def dropin_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("dropin_db"), "velferd_dropin",
                           plugins=[velferd_dropin]) as database:
        yield database


@pytest.fixture
def dropin_db_url(dropin_database, tmp_path):
    return clean_database_url(dropin_database, tmp_path)


@pytest.fixture
def app(dropin_db_url, dropin_database, tmp_path):
    """The app with only the dropin plugin (overrides the suite's `app` in this folder)."""
    with running_app(dropin_database, dropin_db_url, [velferd_dropin], tmp_path / "instance") as app:
        yield app


@pytest.fixture
def odense(app):
    """Odense with dropin enabled and one staff member per core and plugin role."""
    return make_municipality(app, "odense", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("dropin",))


@pytest.fixture
def aarhus(app):
    """A second Danish municipality with dropin enabled."""
    return make_municipality(app, "aarhus", roles=CORE_ROLES + PLUGIN_ROLES, plugins=("dropin",))


@pytest.fixture
def bergen(app):
    """A Norwegian municipality: dropin is never offered there."""
    return make_municipality(app, "bergen", roles=CORE_ROLES + PLUGIN_ROLES, plugins=())


@pytest.fixture
def browse(app):
    """`browse(town, role)`: a browser logged in as that staff member, the pages in English."""
    from tests.web.pages import browser_for

    return browser_for(app)

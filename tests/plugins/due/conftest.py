"""Fixtures for the due plugin: its own database, migrated with the plugin's branch.

The core suite's database is migrated without plugins; this one is migrated by an app that has
`velferd_due` registered, so `upgrade heads` creates the plugin's tables too (with forced
row-level security on PostgreSQL). Entry points stay off, as in the rest of the suite: the
plugin is registered the way the entry point would, by its module object.
"""

from __future__ import annotations

import datetime as dt

import pytest
import velferd_due

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import make_municipality

from .flows import add_unit, eligible_case, move, ok, start_meeting, through_intake

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


@pytest.fixture
def units(client, bergen):
    """Bergen's child welfare unit and two NAV offices, set up to pay."""
    return {key: add_unit(client, bergen, key) for key in ("barnevern", "nav_arna", "nav_fana")}


@pytest.fixture
def running(client, bergen, units):
    """A case started on 1 March 2025, child welfare paying (vedtak BV-2024/117)."""
    case_id = eligible_case(client, bergen, units["barnevern"], dt.date(2006, 4, 4), "2025-01-06")
    through_intake(client, bergen, case_id, "2025-03-01", decided_on="2025-02-20")
    ok(move(client, bergen, case_id, "hold_start_meeting", start_meeting("2025-03-01", "2025-03-20")))
    return case_id

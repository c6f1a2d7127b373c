"""An app with every bundled programme (DUE, nav_split, aftercare, dropin) and the example plugin on one
database, and Bergen populated through the API: for tests generated from the whole OpenAPI
document (hostile input, the document checked against live responses). Import the fixtures
into the test module (``from tests.all_plugins import all_plugins_database, every_plugin_world``)."""

from __future__ import annotations

from typing import NamedTuple

import pytest
import velferd_aftercare
import velferd_dropin
import velferd_due
import velferd_nav_split

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import Municipality, populated_municipality
from tests.plugins.example import ExamplePlugin
from velferd.db import db
from velferd.plugins.enablement import set_enabled
from velferd.tenancy import tenant_scope

#: served and migrated; dropin is offered in Denmark only and this world is Bergen's, so its routes
#: are in the document (checked like the others') and answer Bergen 404
BUNDLED_PLUGINS = [velferd_due, velferd_nav_split, velferd_aftercare, velferd_dropin]
MIGRATED_PLUGINS = BUNDLED_PLUGINS


class World(NamedTuple):
    app: object
    client: object
    town: Municipality
    ids: dict
    document: dict


@pytest.fixture(scope="module")
def all_plugins_database(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("all_plugins_db"), "velferd_all_plugins",
                           plugins=MIGRATED_PLUGINS) as database:
        yield database


@pytest.fixture
def every_plugin_world(all_plugins_database, tmp_path):
    """Bergen with the example plugin, DUE, nav_split and aftercare enabled, one record of every core kind
    (`populated_municipality`: ``town.every_role`` holds every role) and the OpenAPI document."""
    url = clean_database_url(all_plugins_database, tmp_path)
    with running_app(all_plugins_database, url, [ExamplePlugin(), *BUNDLED_PLUGINS], tmp_path / "instance") as app:
        client = app.test_client()
        town, ids = populated_municipality(app, client, "bergen")
        with app.app_context(), tenant_scope(town.tenant):
            for plugin in ("due", "nav_split", "aftercare"):
                set_enabled(town.tenant, plugin, True, None)
            db.session.commit()
        yield World(app, client, town, ids, client.get("/api/openapi.json").json)

"""A plugin's public pages (`WebPages.public_blueprint`, velferd.web.public_pages): mounted at
``/p/<town>/<plugin>``, answered without a login, with the URL's municipality in scope — its rows
and no other municipality's — and 404 for a municipality that does not exist or has not enabled
the plugin, as on the staff's side."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from flask import Blueprint

from tests.plugins.example import ExamplePlugin
from velferd.db import db
from velferd.models import Unit
from velferd.tenancy import current_tenant, tenant_scope
from velferd.toolkit import WebPages, hookimpl, url_for

public_routes = Blueprint("example_public", __name__)


@public_routes.get("/units")
def unit_names():
    """What the municipality publishes: here, its units' names (no personal data)."""
    names = db.session.scalars(sa.select(Unit.name).order_by(Unit.name)).all()
    link = url_for("example_public.unit_names", town=current_tenant().slug)
    return {"town": current_tenant().slug, "units": names, "link": link}


class ExampleWithPublicPages(ExamplePlugin):
    @hookimpl
    def velferd_plugin(self):
        declared = super().velferd_plugin()
        return dataclasses.replace(declared, web=WebPages(public_blueprint=lambda: public_routes))


def add_unit(app, town, name: str) -> None:
    with app.app_context(), tenant_scope(town.tenant):
        db.session.add(Unit(name=name, kind="other"))
        db.session.commit()


with_public_pages = pytest.mark.parametrize("example_plugin", [ExampleWithPublicPages()])


@with_public_pages
def test_a_public_page_is_read_without_logging_in_and_shows_only_its_municipality(app, client, bergen, alta, example_plugin):
    add_unit(app, bergen, "Bergen drop-in")
    add_unit(app, alta, "Alta drop-in")
    r = client.get("/p/bergen/example/units")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["town"] == "bergen" and "Bergen drop-in" in r.json["units"]
    assert "Alta drop-in" not in r.json["units"]
    assert r.json["link"] == "/p/bergen/example/units"
    assert r.headers["Cache-Control"] == "no-store"


@with_public_pages
def test_an_unknown_municipality_or_one_without_the_plugin_is_not_found(app, client, bergen, example_plugin):
    assert client.get("/p/nowhere/example/units").status_code == 404
    r = client.delete(bergen.url("/plugins/example/enabled"), headers=bergen.tenant_admin.headers)
    assert r.status_code == 200
    assert client.get("/p/bergen/example/units").status_code == 404


@with_public_pages
def test_the_staff_pages_still_ask_for_a_login(client, bergen, example_plugin):
    r = client.get("/t/bergen/cases")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_public_blueprint_that_is_not_a_function_or_path_stops_the_start():
    from velferd.plugins.manager import PluginError, _checked_declaration

    declared = dataclasses.replace(ExamplePlugin().velferd_plugin(), web=WebPages(public_blueprint="no-colon"))
    with pytest.raises(PluginError, match="public_blueprint"):
        _checked_declaration("example", declared)

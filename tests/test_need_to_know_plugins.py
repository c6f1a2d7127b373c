"""Need to know over the real programmes: DUE, nav_split, aftercare and dropin, with their demo data
(each plugin's own `velferd_demo_seed`), every case held by one unit; a member of another unit who
holds every role of the programme sees none of it — through the ORM (every person-linked table of
every plugin) and through every list route of the plugin's API in the OpenAPI document.

tests/test_need_to_know.py replays every route with records of every core kind; this one shows the
same one rule reaching the tables and routes the four programmes add, without a list of them.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import velferd_aftercare
import velferd_dropin
import velferd_due
import velferd_nav_split

from tests.databases import clean_database_url, migrated_database, running_app
from tests.helpers import add_staff
from tests.plugins.example import ExamplePlugin
from velferd import demo, need_to_know
from velferd.db import db
from velferd.models import Case, Membership, Person, Tenant, Unit
from velferd.need_to_know import CaseScope, scoped_models
from velferd.read_audit import person_link, persons_shown
from velferd.testing import Municipality
from velferd.tenancy import tenant_scope

PLUGINS = [velferd_due, velferd_nav_split, velferd_aftercare, velferd_dropin]
#: the demo municipality that runs each programme
TOWN_OF = {spec.plugins[0]: spec.slug for spec in demo.TENANTS}


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory):
    """The four demo municipalities with their programmes' data; in each, every case is held by a
    unit "Team Nord" and an outsider works in "Team Sør" with every role of the programme."""
    folder = tmp_path_factory.mktemp("need_to_know_plugins")
    with migrated_database(folder, "velferd_need_to_know_plugins", plugins=PLUGINS) as database:
        url = clean_database_url(database, folder)
        with running_app(database, url, [ExamplePlugin(), *PLUGINS], folder / "instance") as app:
            towns = {}
            with app.app_context():
                list(demo.seed())
                for plugin, slug in TOWN_OF.items():
                    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
                    with tenant_scope(tenant):
                        north, south = Unit(name="Team Nord", kind="outreach"), Unit(name="Team Sør", kind="outreach")
                        db.session.add_all([north, south])
                        db.session.flush()
                        db.session.execute(sa.update(Case).values(unit_id=north.id))
                        db.session.commit()
                    towns[plugin] = (Municipality(tenant), south.id)
            for plugin, (town, south) in towns.items():
                roles = ["caseworker", "coordinator", "leader",
                         *app.extensions["velferd.plugins"].manifests[plugin].roles]
                roles = sorted({r for r in roles if need_to_know.CASE_SCOPES.get(r) != "all"})
                add_staff(app, town, "outsider", roles)
                with app.app_context(), tenant_scope(town.tenant):
                    membership = db.session.scalar(sa.select(Membership).where(
                        Membership.user_id == town.outsider.user_id))
                    membership.unit_ids = [south]
                    db.session.commit()
            yield app, towns


def plugin_models(plugin) -> list[type]:
    return [m for m in scoped_models() if m.__module__.startswith(f"velferd_{plugin}")]


def persons_reached(models) -> dict[int, set[str]]:
    """person id → the tables whose rows, as loaded now, lead to that person (velferd.read_audit's
    own tracing, through each model's foreign keys)."""
    reached: dict[int, set[str]] = {}
    for model in models:
        link = person_link(model)
        column = getattr(model, link.column) if link.target is not None else model.id
        rows = {model: dict(db.session.execute(sa.select(model.id, column)).tuples().all())}
        for person_id in persons_shown(rows):
            reached.setdefault(person_id, set()).add(model.__tablename__)
    return reached


@pytest.mark.parametrize("plugin", sorted(TOWN_OF))
def test_every_person_linked_table_of_the_programme_is_hidden_from_the_other_unit(demo_world, plugin):
    """Nothing of any person followed in a case reaches the outsider, through any table; what
    stays visible is about no one (an anonymous contact) or about a person with no case at all
    (findable, so that a case can be opened)."""
    app, towns = demo_world
    town, south = towns[plugin]
    models = plugin_models(plugin) + [Case, Person]
    assert plugin_models(plugin), f"{plugin} has person-linked tables"
    with app.app_context(), tenant_scope(town.tenant):
        followed = set(db.session.scalars(sa.select(Case.person_id)))
        held = persons_reached(models)
        need_to_know.set_scope(CaseScope(town.outsider.user_id, (south,), ()))
        try:
            seen = persons_reached(models)
        finally:
            need_to_know.set_scope(None)
    assert {p for p in held if p in followed}, f"{plugin}'s demo follows someone in a case"
    assert not set(seen) & followed, {p: seen[p] for p in set(seen) & followed}
    assert set(seen) == set(held) - followed


def list_routes(document: dict, plugin: str) -> list[str]:
    prefix = f"/api/t/{{tenant}}/x/{plugin}"
    return sorted(path for path, item in document["paths"].items()
                  if path.startswith(prefix) and "get" in item and not re.search(r"\{(?!tenant\})", path))


@pytest.mark.parametrize("plugin", sorted(TOWN_OF))
def test_no_list_of_the_programme_shows_the_other_units_people(demo_world, plugin):
    app, towns = demo_world
    town, _ = towns[plugin]
    client = app.test_client()
    document = client.get("/api/openapi.json").json
    with app.app_context(), tenant_scope(town.tenant):
        followed = sa.select(Case.person_id)
        caseless = {p.full_name for p in db.session.scalars(sa.select(Person).where(Person.id.not_in(followed)))}
        names = {p.full_name for p in db.session.scalars(sa.select(Person).where(Person.id.in_(followed)))} - caseless
        national_ids = list(db.session.scalars(sa.select(Person.national_id).where(
            Person.id.in_(sa.select(Case.person_id)))))
    routes = list_routes(document, plugin)
    assert routes, f"{plugin} has list routes"
    read = 0
    for path in routes:
        r = client.get(path.replace("{tenant}", town.slug), headers=town.outsider.headers)
        assert r.status_code in (200, 403, 404, 422), (path, r.status_code, r.json)
        if r.status_code != 200:
            continue
        read += 1
        text = r.get_data(as_text=True)
        assert not [n for n in names if n in text], path
        assert not [i for i in national_ids if i in text], path
    assert read, f"the outsider could read none of {plugin}'s lists: the test shows nothing"

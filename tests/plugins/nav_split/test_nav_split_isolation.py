"""Another tenant never sees Kristiansand's queues, agendas or decisions — whether it enabled the
plugin too (Alta: its own, empty, views; 404 by id) or not (Bergen: every route 404) — and on
PostgreSQL the plugin's tables force row-level security. Also: the entry point is declared."""

from __future__ import annotations

import importlib.metadata

import pytest
import sqlalchemy as sa

from tests.conftest import _config
from velferd import create_app

from .flows import X, allocated_case, assess, build, draft, kartlegging, move, record_outcome


def kristiansands_records(client, town) -> dict:
    forum_case, allocation_decision = assess(client, town, kartlegging(work_line_realistic="unclear", substance_use=True,
                                                                       from_other_municipality=True))
    move(client, town, forum_case["id"], "refer_forum")
    agendas = build(client, town).json
    item = agendas[0]["items"][0]
    nav_case = allocated_case(client, town, "nav")
    forum_decision = draft(client, town, nav_case["id"]).json
    client.post(town.url(f"{X}/forum-decisions/{forum_decision['id']}/approval"), headers=town.forum_coordinator.headers)
    complaint = client.post(town.url(f"{X}/forum-decisions/{forum_decision['id']}/complaints"),
                            json={"grounds": "Disputed."}, headers=town.forum_coordinator.headers).json
    return {"case": forum_case["id"], "nav_case": nav_case["id"], "decision": allocation_decision["id"],
            "agenda": agendas[0]["id"], "item": item["id"], "forum_decision": forum_decision["id"],
            "complaint": complaint["id"]}


def reads(ids) -> list[str]:
    return [f"{X}/agendas/{ids['agenda']}", f"{X}/forum-decisions/{ids['forum_decision']}",
            f"{X}/complaints/{ids['complaint']}", f"{X}/cases/{ids['case']}/allocation",
            f"/decisions/{ids['decision']}", f"/cases/{ids['case']}"]


def test_another_tenant_with_the_plugin_never_sees_kristiansands_queues_agendas_or_decisions(client, kristiansand,
                                                                                              alta):
    ids = kristiansands_records(client, kristiansand)
    staff = alta.forum_coordinator.headers
    assert client.get(alta.url(f"{X}/queue"), headers=staff).json == []
    assert client.get(alta.url(f"{X}/agendas"), headers=staff).json == []
    for path in reads(ids):
        assert client.get(alta.url(path), headers=alta.forvaltning_head.headers).status_code == 404, path
    assert client.post(alta.url(f"{X}/forum-decisions/{ids['forum_decision']}/approval"),
                       headers=staff).status_code == 404
    assert client.post(alta.url(f"{X}/complaints/{ids['complaint']}/signatures"), json={"as": "forum_leader"},
                       headers=alta.forum_leader.headers).status_code == 404
    assert client.post(alta.url(f"{X}/complaints/{ids['complaint']}/sending"), headers=staff).status_code == 404
    assert draft(client, alta, ids["nav_case"]).status_code == 404
    r = record_outcome(client, alta, None, ids["item"], "nav")
    assert r.status_code == 422 and "agenda_item_id" in r.json["fields"]
    # Alta's own weekly run places none of Kristiansand's queued cases
    built = build(client, alta).json
    assert [a["items"] for a in built] == [[], [], []]
    assert {a["id"] for a in built}.isdisjoint({ids["agenda"]})
    # Kristiansand still has it all
    assert client.get(kristiansand.url(f"{X}/agendas/{ids['agenda']}"),
                      headers=kristiansand.forvaltning.headers).json["items"][0]["status"] == "scheduled"
    # an Alta token on Kristiansand's URLs is refused
    r = client.get(kristiansand.url(f"{X}/queue"), headers=staff)
    assert r.status_code == 403


def test_a_tenant_without_the_plugin_gets_404_everywhere(client, kristiansand, bergen):
    ids = kristiansands_records(client, kristiansand)
    for path in [f"{X}/queue", f"{X}/agendas", *reads(ids)[:4], "/forms/nav_split/kartlegging"]:
        assert client.get(bergen.url(path), headers=bergen.forvaltning_head.headers).status_code == 404, path
    assert build(client, bergen).status_code == 404
    r = client.post(bergen.url("/rules/nav_split/allocation/evaluations"), json={"inputs": kartlegging()},
                    headers=bergen.forvaltning.headers)
    assert r.status_code == 404


@pytest.mark.postgres
def test_the_plugins_tables_force_row_level_security(client, kristiansand, alta, nav_database):
    kristiansands_records(client, kristiansand)
    kristiansands_records(client, alta)
    owner = sa.create_engine(nav_database.owner_url)
    app_role = sa.create_engine(nav_database.app_url)
    try:
        with owner.connect() as conn:
            tables = conn.scalars(sa.text("select c.relname from pg_class c join pg_namespace n on n.oid = "
                                          "c.relnamespace where n.nspname = 'public' and c.relname like 'nav_split_%' "
                                          "and c.relkind = 'r' and c.relrowsecurity and c.relforcerowsecurity")).all()
            policies = set(conn.scalars(sa.text("select tablename from pg_policies where tablename like 'nav_split_%' "
                                                "and qual like '%velferd.tenant_id%'")))
            seeded = {t: conn.scalar(sa.text(f"select count(distinct tenant_id) from {t}")) for t in tables}
        assert len(tables) == 6 and set(tables) == policies
        assert all(n == 2 for t, n in seeded.items() if t != "nav_split_complaint_signature")
        with app_role.connect() as conn:
            assert {t: conn.scalar(sa.text(f"select count(*) from {t}")) for t in tables} == dict.fromkeys(tables, 0)
            conn.execute(sa.text("select set_config('velferd.tenant_id', :v, true)"), {"v": str(alta.tenant.id)})
            for table in tables:
                assert set(conn.scalars(sa.text(f"select distinct tenant_id from {table}"))) <= {alta.tenant.id}
    finally:
        owner.dispose()
        app_role.dispose()


def test_the_entry_point_is_declared_and_loaded_when_entry_points_are_on():
    (entry,) = [e for e in importlib.metadata.entry_points(group="velferd.plugins") if e.name == "nav_split"]
    assert entry.value == "velferd_nav_split"
    app = create_app(_config("sqlite://", LOAD_PLUGIN_ENTRY_POINTS=True))
    registry = app.extensions["velferd.plugins"]
    assert registry.manifest("nav_split").countries == ("NO",)
    assert ("nav_split", "kartlegging") in registry.forms and ("nav_split", "allocation") in registry.rules
    assert create_app(_config("sqlite://")).extensions["velferd.plugins"].manifest("nav_split") is None

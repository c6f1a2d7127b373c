"""What a web process keeps between requests, and that nothing it keeps is ever stale where it
matters: the tenant row (never changes), and a tenant's plugin configuration (kept while the
tenant's config_version stands; velferd.plugin_config). Two apps on one database stand for two
web processes: each has its own copies, as each gunicorn worker has.

A revoked token, a switched-off plugin and changed settings are seen on the very next request
in the other process; the tenant and the configuration are read once per process, not per request.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.databases import running_app
from velferd import driver_sql
from velferd.db import db


@pytest.fixture
def other_process(database, db_url, example_plugin, tmp_path):
    """A second app on the same database: another web process with its own caches."""
    with running_app(database, db_url, [example_plugin], tmp_path / "instance-2") as app:
        yield app


def hello(app, town):
    return app.test_client().get(town.url("/x/example/hello"), headers=town.caseworker.headers)


def test_a_plugin_switched_off_in_one_process_is_gone_in_the_other_on_its_next_request(
        app, other_process, bergen):
    admin = bergen.tenant_admin.headers
    assert hello(other_process, bergen).status_code == 200  # the other process has its copy now
    assert hello(other_process, bergen).status_code == 200

    r = app.test_client().delete(bergen.url("/plugins/example/enabled"), headers=admin)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert hello(other_process, bergen).status_code == 404
    assert hello(app, bergen).status_code == 404

    assert app.test_client().put(bergen.url("/plugins/example/enabled"), headers=admin).status_code == 200
    assert hello(other_process, bergen).status_code == 200


def test_settings_changed_in_one_process_are_read_by_the_other_on_its_next_request(app, other_process, bergen):
    assert hello(other_process, bergen).json["settings"]["places"] == 10
    r = app.test_client().patch(bergen.url("/plugins/example/settings"), json={"places": 7},
                                headers=bergen.tenant_admin.headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert hello(other_process, bergen).json["settings"]["places"] == 7


def test_a_change_made_outside_the_app_is_seen_too(app, other_process, bergen):
    """The counter is moved by the database's triggers, not by the app's code: a plugin switched
    off by hand (or by another tool) is gone on the next request all the same."""
    assert hello(other_process, bergen).status_code == 200
    with app.app_context():
        owner = sa.create_engine(app.config["MIGRATION_DATABASE_URL"])
        with owner.begin() as conn:
            conn.execute(sa.text("update tenant_plugin set enabled = false where tenant_id = :t and plugin = 'example'"),
                         {"t": bergen.tenant.id})
        owner.dispose()
    assert hello(other_process, bergen).status_code == 404


def test_an_operator_block_reaches_every_process(app, other_process, bergen, alta):
    for town in (bergen, alta):
        assert hello(other_process, town).status_code == 200
    with app.app_context():
        owner = sa.create_engine(app.config["MIGRATION_DATABASE_URL"])
        with owner.begin() as conn:
            conn.execute(sa.text("insert into plugin_block (plugin, reason, blocked_at) values ('example', 'fix', :now)"),
                         {"now": "2026-12-03 09:00:00+00:00"})
        owner.dispose()
    for town in (bergen, alta):
        assert hello(other_process, town).status_code == 404


def test_a_revoked_token_is_refused_on_the_very_next_request(app, other_process, bergen):
    client, other = app.test_client(), other_process.test_client()
    r = client.post(bergen.url("/tokens"), json={"name": "script"}, headers=bergen.caseworker.headers)
    token_id, headers = r.json["id"], {"Authorization": f"Bearer {r.json['token']}"}
    assert other.get(bergen.url("/cases"), headers=headers).status_code == 200
    assert client.delete(bergen.url(f"/tokens/{token_id}"), headers=headers).status_code == 204
    r = other.get(bergen.url("/cases"), headers=headers)
    assert r.status_code == 401
    assert "revoked" in r.json["message"]


def statements_of(app, call) -> list[str]:
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    real_first_row = driver_sql.first_row

    def first_row(conn, statement, params):  # on psycopg sent past SQLAlchemy's events
        if conn.dialect.driver == "psycopg":
            seen.append(" ".join(str(statement).split()).lower())
        return real_first_row(conn, statement, params)

    event.listen(engine, "before_cursor_execute", note)
    driver_sql.first_row = first_row
    try:
        assert call().status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
        driver_sql.first_row = real_first_row
    return seen


def test_the_tenant_and_its_plugins_are_read_once_per_process(other_process, bergen):
    first = statements_of(other_process, lambda: hello(other_process, bergen))
    again = statements_of(other_process, lambda: hello(other_process, bergen))
    assert any(s.startswith("select tenant.") and "from tenant" in s for s in first)
    assert any("from tenant_plugin" in s for s in first)
    assert not any(s.startswith("select tenant.") for s in again)
    assert not any("from tenant_plugin" in s for s in again)
    # the caller is still read on every request (tokens are never cached), with the version
    assert any("from api_token" in s and "config_version" in s for s in again)

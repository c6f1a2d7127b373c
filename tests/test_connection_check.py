"""A pooled connection the server closed is replaced before it is lent; a healthy one is lent
again without a ping (velferd.connection_check). On a real PostgreSQL server: the test ends the
app's session with ``pg_terminate_backend`` from a connection of its own, as a restart, a crash
or PgBouncer's idle timeout would."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.helpers import add_person
from velferd.db import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def backends(app):
    """The server process of each connection the app's pool lends, in order, and every statement
    the app's connections send (a ping would be one)."""
    seen = {"pids": [], "statements": []}
    with app.app_context():
        engine = db.engine

    def lent(dbapi_connection, record, proxy):
        seen["pids"].append(dbapi_connection.info.backend_pid)

    def sent(conn, cursor, statement, *args):
        seen["statements"].append(statement)

    event.listen(engine, "checkout", lent)
    event.listen(engine, "before_cursor_execute", sent)
    yield seen
    event.remove(engine, "checkout", lent)
    event.remove(engine, "before_cursor_execute", sent)


def terminate(app, pid: int) -> None:
    owner = sa.create_engine(app.config["MIGRATION_DATABASE_URL"])
    with owner.connect() as conn:
        assert conn.scalar(sa.text("select pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    owner.dispose()


def list_persons(client, town):
    return client.get(town.url("/persons"), headers=town.staff["caseworker"].headers)


def test_a_healthy_connection_is_lent_again_without_a_ping(app, client, bergen, backends, monkeypatch):
    with app.app_context():
        dialect = type(db.engine.dialect)
    pings = []
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda self, conn: pings.append(1) or real_ping(self, conn))
    add_person(client, bergen)
    backends["pids"].clear()
    backends["statements"].clear()
    for _ in range(3):
        assert list_persons(client, bergen).status_code == 200
    assert len(set(backends["pids"])) == 1  # one connection, lent three times
    assert not pings and not [s for s in backends["statements"] if s.strip().lower() == "select 1"]


def test_a_connection_the_server_ended_is_replaced_and_the_next_request_succeeds(app, client, bergen, backends):
    person = add_person(client, bergen)
    assert list_persons(client, bergen).status_code == 200
    ended = backends["pids"][-1]
    terminate(app, ended)

    r = list_persons(client, bergen)

    assert r.status_code == 200, r.json  # not a 503, not a 500: the pool took a new connection
    assert person["id"] in [p["id"] for p in r.json]
    assert backends["pids"][-1] != ended


def test_every_pooled_connection_the_server_ended_is_replaced(app, bergen, backends):
    """A restart ends every session at once: each connection in the pool is refused in turn."""
    with app.app_context():
        engine = db.engine
        held = [engine.connect() for _ in range(3)]
        pids = [c.connection.dbapi_connection.info.backend_pid for c in held]
        for c in held:
            c.close()  # back into the pool, idle
        for pid in pids:
            terminate(app, pid)
        backends["pids"].clear()
        again = [engine.connect() for _ in range(3)]
        assert [c.scalar(sa.text("select 1")) for c in again] == [1, 1, 1]
        fresh = [c.connection.dbapi_connection.info.backend_pid for c in again]
        for c in again:
            c.close()
    assert not set(fresh) & set(pids)

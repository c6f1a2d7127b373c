"""While the database cannot be reached the API answers 503 with Retry-After (not a 500 with an
incident), and serves again by itself as soon as the database is back.

PostgreSQL: a cluster of the test's own (tests/postgres_cluster.py), stopped cleanly and
crashed under the running app. SQLite: the file held by another connection's exclusive lock.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.databases import Database, app_config, running_app
from tests.helpers import make_municipality
from tests.postgres_cluster import migrated_on
from velferd import create_app
from velferd.database_outage import is_database_unavailable
from velferd.jobs.embedded_sweeper import EXTENSION as EMBEDDED_SWEEPER
from velferd.migrate import upgrade

RETRY_AFTER = 7


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    assert response.json["status"] == 503
    assert "database cannot be reached" in response.json["message"]
    assert "incident" not in response.json["message"]


def login(client, email="caseworker@bergen.test", password="correct horse battery"):
    return client.post("/api/auth/login", json={"email": email, "password": password})


@pytest.mark.postgres
@pytest.mark.faults
@pytest.mark.parametrize("how", ["fast", "immediate"], ids=["stopped", "crashed"])
def test_postgresql_down_is_a_503_with_retry_after_and_the_app_serves_again_when_it_is_back(
        own_cluster, tmp_path, how):
    database = migrated_on(own_cluster)
    with running_app(database, database.app_url, [], tmp_path / "instance",
                     DATABASE_RETRY_AFTER_SECONDS=RETRY_AFTER) as app:
        bergen = make_municipality(app, "bergen", plugins=())
        client = app.test_client()
        headers = bergen.caseworker.headers
        assert client.get(bergen.url("/persons"), headers=headers).status_code == 200
        assert login(client).status_code == 200

        own_cluster.stop(how)
        assert_unavailable(client.get(bergen.url("/persons"), headers=headers))
        assert_unavailable(login(client))
        assert_unavailable(client.post(bergen.url("/units"), json={"name": "Ny enhet"}, headers=headers))
        assert client.get("/readyz").headers["Retry-After"] == str(RETRY_AFTER)

        own_cluster.start()
        assert client.get(bergen.url("/persons"), headers=headers).status_code == 200
        assert login(client).status_code == 200
        assert client.get("/readyz").status_code == 200


def test_a_locked_sqlite_file_is_a_503_and_serving_resumes_when_it_is_released(tmp_path):
    """A SQLite file of its own (also under the PostgreSQL suite), held by another connection."""
    db_url = f"sqlite:///{tmp_path / 'locked.sqlite3'}"
    upgrade(create_app(app_config(db_url)))
    database = Database(app_url=db_url, owner_url=db_url, backend="sqlite")
    with running_app(database, db_url, [], tmp_path / "instance", DATABASE_RETRY_AFTER_SECONDS=RETRY_AFTER,
                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.05}}) as app:
        bergen = make_municipality(app, "bergen", plugins=())
        client = app.test_client()
        holder = sqlite3.connect(make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            assert_unavailable(client.get(bergen.url("/persons"), headers=bergen.caseworker.headers))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert client.get(bergen.url("/persons"), headers=bergen.caseworker.headers).status_code == 200


def _error(statement: str, url: str = "sqlite://") -> sa.exc.DBAPIError:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
    except sa.exc.DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{statement!r} did not fail")


def test_sql_the_database_rejects_is_not_an_outage():
    """A missing table is a bug or a bad deploy (refused at start-up), never "try again"."""
    assert not is_database_unavailable(_error("select * from no_such_table"))
    assert not is_database_unavailable(_error("selec 1"))


def test_a_refused_connection_is_an_outage():
    assert is_database_unavailable(_error("select 1", "postgresql+psycopg://root@127.0.0.1:1/x?connect_timeout=1"))


def test_a_pool_with_no_connection_free_is_an_outage(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'busy.sqlite3'}", poolclass=sa.pool.QueuePool,
                              pool_size=1, max_overflow=0, pool_timeout=0.01)
    try:
        with engine.connect():
            with pytest.raises(sa.exc.TimeoutError) as busy:
                engine.connect()
        assert is_database_unavailable(busy.value)
    finally:
        engine.dispose()


def test_the_embedded_sweeper_says_in_one_line_that_the_database_is_out_of_reach(tmp_path, caplog):
    """An outage is expected and passes: the web process's sweeper logs one line per interval,
    not a traceback each time, and sweeps again when the file is free."""
    db_url = f"sqlite:///{tmp_path / 'locked.sqlite3'}"
    upgrade(create_app(app_config(db_url)))
    database = Database(app_url=db_url, owner_url=db_url, backend="sqlite")
    with running_app(database, db_url, [], tmp_path / "instance", JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS=60,
                     SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.05}}) as app:
        sweeper = app.extensions[EMBEDDED_SWEEPER]
        holder = sqlite3.connect(make_url(db_url).database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with caplog.at_level(logging.WARNING, logger="velferd.jobs.embedded_sweeper"):
                assert sweeper.sweep_once() == 0
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        (record,) = [r for r in caplog.records  # this sweep's, not a thread's another test left running
                     if r.name == "velferd.jobs.embedded_sweeper" and r.thread == threading.get_ident()]
        assert "database cannot be reached" in record.getMessage()
        assert record.exc_info is None
        assert sweeper.sweep_once() == 0  # nothing due, and no error once the lock is gone

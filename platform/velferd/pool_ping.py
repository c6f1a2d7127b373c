"""Test a pooled PostgreSQL connection before lending it — but only one that sat idle.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` on every checkout: a round trip on every
request, the same price as a query, though a connection returned a few milliseconds ago is as
alive as it was then. Here the ping is sent only when the connection has been idle in the pool for
``DATABASE_PING_AFTER_IDLE_SECONDS`` (default 1 s): the case that matters, a pool left idle while
the database restarted or a proxy dropped quiet connections. A dead one is replaced before the
request sees it (``DisconnectionError`` makes the pool connect afresh, SQLAlchemy's documented
recipe for a custom ping).

A connection broken while in steady use is not tested first; the statement that finds it fails,
the request answers 503 "try again" (velferd.database_outage), and SQLAlchemy invalidates the
whole pool on that disconnect, so the next requests get fresh connections. With the setting at 0
every checkout is tested, as ``pool_pre_ping`` did.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy import event, exc

RETURNED_AT = "velferd_returned_at"


def install(engine: sa.Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, connection_record) -> None:
        connection_record.info[RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _lend(dbapi_connection, connection_record, connection_proxy) -> None:
        returned = connection_record.info.get(RETURNED_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # new (just connected), or back from a request a moment ago
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        except Exception as error:  # the driver's own error for a dead socket, whatever its class
            raise exc.DisconnectionError(f"an idle pooled connection was dead: {type(error).__name__}") from error
        finally:
            try:
                cursor.close()
            except Exception:  # noqa: BLE001 — closing a cursor of a dead connection can fail too
                pass
        if getattr(dbapi_connection, "autocommit", True) is False:
            dbapi_connection.rollback()  # SELECT 1 began a transaction (psycopg); end it before lending

"""Is a pooled PostgreSQL connection still there? Asked of the socket, not of the server.

``pool_pre_ping`` sends ``SELECT 1`` every time the pool lends a connection: a round trip on every
request and every job, for the rare connection the server has closed. A closed connection says
so without being asked: when PostgreSQL ends a session (shut down, crashed, restarted, the session
terminated, PgBouncer's idle timeout) the server sends its last message and closes the socket, so
the socket of an idle connection turns readable. A healthy idle connection has nothing to read:
this application never LISTENs, and the server sends nothing unasked between transactions.

So at checkout the pool polls the socket with a zero timeout (no round trip, a system call) and
refuses a connection that is readable, broken in libpq's eyes, or inside a transaction; the pool
then replaces it with a fresh one (SQLAlchemy's documented ``DisconnectionError`` protocol), and if
the server is not there at all the request gets the 503 of velferd.database_outage.

What neither this nor a ping can catch is a server that goes away after the check, before the
first statement; the fault tests (tests/test_faults_jobs.py: PostgreSQL stopped and crashed mid
invoice run) show the job heals either way. A connection to a host that vanished without closing
anything (a cut cable) looks healthy to both until TCP's own timeouts; `docs/operations.md` names
the keepalive settings for that.
"""

from __future__ import annotations

import select

import sqlalchemy as sa
from sqlalchemy import event, exc


def has_been_closed(dbapi_connection, psycopg) -> bool:
    """Whether the server has closed (or is closing) this idle psycopg connection, or libpq
    considers it unusable, or it is not idle (a transaction left open is no connection to lend).
    `psycopg`: the driver's module, as SQLAlchemy loaded it."""
    pq = psycopg.pq
    pgconn = dbapi_connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return True
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def init_engine(engine: sa.Engine) -> None:
    """Check each connection `engine`'s pool lends (PostgreSQL through psycopg only: SQLite's
    connections are files, not sockets)."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    psycopg = engine.dialect.loaded_dbapi

    def refuse_closed_connection(dbapi_connection, connection_record, connection_proxy) -> None:
        if has_been_closed(dbapi_connection, psycopg):
            raise exc.DisconnectionError("the database server closed this pooled connection")

    event.listen(engine, "checkout", refuse_closed_connection)

"""A read's audit rows are committed without waiting for the disk; every other write waits.

Every GET under a tenant writes audit rows (velferd.read_audit), so every read ended with a
synchronous commit: a WAL flush to disk the bare endpoint never pays. PostgreSQL lets a
transaction commit with ``synchronous_commit = off``: the commit returns at once and the WAL
writer flushes within ``wal_writer_delay`` (200 ms by default, at most three times that). Only a
crash of the database server itself inside that window can lose such a transaction — never an
application crash, and the database stays consistent either way. README's privacy section says so.

The rule, per transaction: a GET or HEAD request's transaction starts with the setting off (sent
in the same statement as the tenant's RLS setting, so it costs no round trip), and if anything
but a read or an audit row's insert runs in it — an UPDATE of a session's last-seen time, any
domain write a read should not make but might — the setting is switched back on just before the
commit, so that transaction waits for the disk as every write does. The check sees every
statement sent through SQLAlchemy (``before_cursor_execute``). POST, PUT, PATCH and DELETE, tasks
and commands are never asynchronous.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from sqlalchemy import event

READ_METHODS = frozenset({"GET", "HEAD"})
ASYNC_KEY = "velferd_commit_async"
WROTE_KEY = "velferd_wrote_more_than_audit"
#: added to the tenant's set_config statement (velferd.tenancy) when a transaction may commit async
ASYNC_SETTING = "set_config('synchronous_commit', 'off', true)"
SYNCHRONOUS_AGAIN = "select set_config('synchronous_commit', 'on', true)"
_READ_PREFIXES = ("select", "insert into audit_event ")
_PREFIX_LENGTH = max(map(len, _READ_PREFIXES))


def begin(connection: sa.Connection, tenant_set: bool) -> bool:
    """Called as a session transaction starts: whether it may commit asynchronously (a read
    request's, with a tenant, on PostgreSQL). The flags live on the connection and are reset here,
    at every begin, so nothing of an earlier transaction on the same connection carries over."""
    commit_async = (tenant_set and connection.dialect.name == "postgresql" and has_request_context()
                    and request.method in READ_METHODS)
    connection.info[ASYNC_KEY] = commit_async
    connection.info[WROTE_KEY] = False
    return commit_async


def _note_statement(conn, cursor, statement: str, parameters, context, executemany) -> None:
    info = conn.info
    if info.get(ASYNC_KEY) and not info.get(WROTE_KEY) and not statement.lstrip()[:_PREFIX_LENGTH].lower().startswith(_READ_PREFIXES):
        info[WROTE_KEY] = True


def _before_commit(conn: sa.Connection) -> None:
    """Through the DBAPI cursor: an SQLAlchemy execute here would re-enter the committing connection."""
    info = conn.info
    if info.get(ASYNC_KEY) and info.get(WROTE_KEY):
        cursor = conn.connection.cursor()
        try:
            cursor.execute(SYNCHRONOUS_AGAIN)
        finally:
            cursor.close()
    info[ASYNC_KEY] = False


def init_app(app: Flask, engines) -> None:
    for engine in engines:
        if engine.dialect.name == "postgresql":
            event.listen(engine, "before_cursor_execute", _note_statement)
            event.listen(engine, "commit", _before_commit)

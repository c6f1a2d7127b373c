"""How transactions commit: a read's without waiting for the disk, and every transaction's audit
rows together with its COMMIT.

**A read's commit does not wait for the disk; every other write waits.**

Every GET under a tenant writes audit rows (velferd.read_audit), so every read ended with a
synchronous commit: a WAL flush to disk the bare endpoint never pays. PostgreSQL lets a
transaction commit with ``synchronous_commit = off``: the commit returns at once and the WAL
writer flushes within ``wal_writer_delay`` (200 ms by default, at most three times that). Only a
crash of the database server itself inside that window can lose such a transaction — never an
application crash, and the database stays consistent either way. README ("How audit rows are
committed") says so.

The rule, per transaction: a GET or HEAD request's transaction starts with the setting off (sent
in the same statement as the tenant's RLS setting, so it costs no round trip), and if anything
but a read or an audit row's insert runs in it — an UPDATE of a session's last-seen time, any
domain write a read should not make but might — the setting is switched back on just before the
commit, so that transaction waits for the disk as every write does. The check sees every
statement sent through SQLAlchemy (``before_cursor_execute``). POST, PUT, PATCH and DELETE, tasks
and commands are never asynchronous. ``ASYNC_READ_COMMITS = False`` makes every commit wait.

**Audit rows are written at the COMMIT.** On PostgreSQL a transaction's audit rows (velferd.audit)
wait for its COMMIT and are written just before it, all of them in one INSERT from a JSON array
(`write_before_commit`): no ORM object, no flush, no RETURNING per row. They stay part of the
transaction — a rollback drops them with everything else, and a failing INSERT fails the commit —
but nothing in the transaction can read them back before it commits; nothing does (the access
log shows what earlier requests did). Sending them pipelined with the COMMIT was measured and
dropped: on loopback psycopg's pipeline mode cost more (about 0.1 ms) than the round trip it saves;
they now go in the same message as the COMMIT (`_with_commit`), which costs nothing extra.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event

from velferd import driver_sql
from velferd.db import db

READ_METHODS = frozenset({"GET", "HEAD"})
ASYNC_KEY = "velferd_commit_async"
WROTE_KEY = "velferd_wrote_more_than_audit"
PENDING_KEY = "velferd_sent_with_commit"
#: added to the tenant's set_config statement (velferd.tenancy) when a transaction may commit async
ASYNC_SETTING = "set_config('synchronous_commit', 'off', true)"
SYNCHRONOUS_AGAIN = "select set_config('synchronous_commit', 'on', true)"
_READ_PREFIXES = ("select", "insert into audit_event ")
_PREFIX_LENGTH = max(map(len, _READ_PREFIXES))
#: where a statement given to `write_before_commit` takes its rows
ROWS_PLACEHOLDER = "%(rows)s"


def begin(connection: sa.Connection, tenant_set: bool) -> bool:
    """Called as a session transaction starts: whether it may commit asynchronously (a read
    request's, with a tenant, on PostgreSQL). The flags live on the connection and are reset here,
    at every begin, so nothing of an earlier transaction on the same connection carries over."""
    commit_async = (tenant_set and connection.dialect.name == "postgresql" and has_request_context()
                    and request.method in READ_METHODS and current_app.config["ASYNC_READ_COMMITS"])
    connection.info[ASYNC_KEY] = commit_async
    connection.info[WROTE_KEY] = False
    connection.info.pop(PENDING_KEY, None)
    return commit_async


def _note_statement(conn, cursor, statement: str, parameters, context, executemany) -> None:
    info = conn.info
    if info.get(ASYNC_KEY) and not info.get(WROTE_KEY) and not statement.lstrip()[:_PREFIX_LENGTH].lower().startswith(_READ_PREFIXES):
        info[WROTE_KEY] = True


def rows_may_wait_for_commit() -> bool:
    """Whether rows may wait for this transaction's COMMIT (`write_before_commit`): on PostgreSQL."""
    return db.session.connection().dialect.name == "postgresql"


def write_before_commit(statement: str, rows: list[dict[str, Any]]) -> None:
    """Add `rows` to those `statement` writes just before this transaction's COMMIT, all in one
    execution. `statement` is in the driver's style with one parameter, ``%(rows)s``: the rows as
    a JSON array. Only for rows nothing in the transaction reads back — audit rows."""
    pending = db.session.connection().info.setdefault(PENDING_KEY, {})
    pending.setdefault(statement, []).extend(rows)


def _synchronous_again_if_written(conn: sa.Connection) -> None:
    """First at the commit: a read transaction that wrote more than audit rows waits for the disk
    after all. Through the driver's cursor: an SQLAlchemy execute here would re-enter the
    committing connection (velferd.driver_sql). Rare (a session's last-seen time), so its own round trip."""
    info = conn.info
    if info.get(ASYNC_KEY) and info.get(WROTE_KEY):
        driver_sql.send(conn, SYNCHRONOUS_AGAIN)


def _write_pending_rows(conn: sa.Connection) -> None:
    """Then the rows waiting for the COMMIT, one INSERT each kind, sent with the COMMIT itself in
    one message (`_with_commit`); the driver's own commit that follows finds the transaction
    ended and sends nothing. Should an INSERT fail, the server skips the rest of the message, so
    the COMMIT never runs; the driver raises and SQLAlchemy rolls back, as for any failed commit."""
    info = conn.info
    pending = info.pop(PENDING_KEY, None)
    info[ASYNC_KEY] = False
    if pending:
        driver_sql.send(conn, _with_commit(conn, pending), shown="INSERT … ; COMMIT")


def _with_commit(conn: sa.Connection, pending: dict[str, list[dict[str, Any]]]) -> str:
    """The INSERTs with their rows as quoted JSON literals, then ``COMMIT``, as one text. A text
    with several statements must go without parameters (PostgreSQL's simple query protocol), so
    the rows are quoted by psycopg's own literal quoting, not by string formatting; a round trip
    per request less than an INSERT with a parameter followed by its COMMIT."""
    parts = []
    for statement, rows in pending.items():
        before, _, after = statement.partition(ROWS_PLACEHOLDER)
        parts.append(before + driver_sql.literal(json.dumps(rows), conn) + after)
    return "; ".join([*parts, "COMMIT"])


def _forget_pending(conn: sa.Connection) -> None:
    conn.info.pop(PENDING_KEY, None)
    conn.info[ASYNC_KEY] = False


def init_app(app: Flask, engines) -> None:
    for engine in engines:
        if engine.dialect.name == "postgresql":
            event.listen(engine, "before_cursor_execute", _note_statement)
            event.listen(engine, "commit", _synchronous_again_if_written)
            event.listen(engine, "commit", _write_pending_rows)
            event.listen(engine, "rollback", _forget_pending)

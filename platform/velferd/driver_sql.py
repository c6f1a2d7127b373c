"""Statements sent past SQLAlchemy, straight through psycopg, for the few that every request sends:
the tenant's RLS setting at BEGIN, the caller's token (`first_row`), the audit rows with the COMMIT.

Why: SQLAlchemy's execute (compile cache, result set-up, events) costs a tenth of a millisecond
for a one-line ``set_config``, and psycopg sends ``BEGIN`` as a round trip of its own before a
transaction's first statement. Here the setting goes in the same message as the ``BEGIN``, and
audit rows in the same message as the ``COMMIT`` (velferd.commits) — PostgreSQL's simple query
protocol runs several statements of one message in order, and stops at the first that fails.
Values go in as literals quoted by psycopg (`literal`), since such a message carries no
parameters.

Errors are raised as SQLAlchemy raises the driver's: an ``OperationalError`` of an outage stays
a 503 (velferd.database_outage), a refused value a ``DataError``.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa


def _psycopg(conn: sa.Connection):
    """The driver's module as SQLAlchemy loaded it (psycopg is the PostgreSQL extra's, not a
    dependency of every installation)."""
    return conn.dialect.loaded_dbapi


def literal(value: Any, conn: sa.Connection) -> str:
    """`value` quoted for PostgreSQL by psycopg itself (never by string formatting)."""
    return _psycopg(conn).sql.Literal(value).as_string(conn.connection.dbapi_connection)


def begin_with(conn: sa.Connection, statement: str) -> None:
    """Start `conn`'s transaction with `statement` in one round trip: ``BEGIN; <statement>``. If
    the driver has begun it already (a statement ran first), only `statement` is sent. psycopg reads
    the transaction's state from the connection, so it sends no second ``BEGIN`` and its COMMIT
    or ROLLBACK ends this transaction as usual."""
    errors, pq = _psycopg(conn).errors, _psycopg(conn).pq
    dbapi_connection = conn.connection.dbapi_connection
    pgconn = dbapi_connection.pgconn
    idle = pgconn.transaction_status == pq.TransactionStatus.IDLE
    text = f"BEGIN; {statement}" if idle else statement
    try:
        result = pgconn.exec_(text.encode())
        if result.status not in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
            raise errors.error_from_result(result, encoding=dbapi_connection.info.encoding)
    except errors.Error as error:
        raise _as_sqlalchemy_error(conn, statement, error) from error


def send(conn: sa.Connection, statement: Any, shown: str | None = None) -> None:
    """Send `statement` (text or a psycopg ``sql`` composition, no parameters) on `conn`'s driver
    cursor inside its open transaction. `shown`: what an error message names instead of the text
    (which may hold rows of personal data)."""
    errors = _psycopg(conn).errors
    cursor = conn.connection.cursor()
    try:
        cursor.execute(statement)
    except errors.Error as error:
        raise _as_sqlalchemy_error(conn, shown or str(statement), error) from error
    finally:
        cursor.close()


def first_row(conn: sa.Connection, statement: sa.Select, params: dict[str, Any]) -> dict[str, Any] | None:
    """The first row of a Core `statement` built once per process, as a dict by its column
    labels, with each column's type applied as SQLAlchemy would (`_compiled_once`). On psycopg the
    statement is compiled once and sent on the driver's cursor: SQLAlchemy's execute and result
    set-up (a Column object per column from the driver's description, every time) cost more than
    the query. Elsewhere (SQLite) through SQLAlchemy as usual."""
    if conn.dialect.driver != "psycopg":
        row = conn.execute(statement, params).mappings().first()
        return dict(row) if row is not None else None
    text, keys, processors = _compiled_once(statement, conn.dialect)
    errors = _psycopg(conn).errors
    cursor = conn.connection.cursor()
    try:
        cursor.execute(text, params)
        values = cursor.fetchone()
    except errors.Error as error:
        raise _as_sqlalchemy_error(conn, text, error) from error
    finally:
        cursor.close()
    if values is None:
        return None
    return {key: process(value) if process else value for key, process, value in zip(keys, processors, values)}


@functools.cache
def _compiled_once(statement: sa.Select, dialect) -> tuple[str, tuple[str, ...], tuple[Any, ...]]:
    """The statement's text for the dialect, its columns' labels and their result processors."""
    compiled = statement.compile(dialect=dialect)
    columns = list(statement.selected_columns)
    keys = tuple(column.key for column in columns)
    processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
    return compiled.string, keys, processors


def _as_sqlalchemy_error(conn: sa.Connection, shown: str, error: Exception) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError.instance(shown, None, error, conn.dialect.loaded_dbapi.Error, hide_parameters=True)

"""Telling a database that cannot be reached from a bug, so an outage is a 503 that says "try
again", not a 500 that says "quote this incident".

While PostgreSQL restarts, fails over or refuses connections, every request fails with the
driver's ``OperationalError`` or ``InterfaceError`` (or waits in vain for a pooled connection while
they are all busy); nothing the caller sent is wrong and nothing in the code is, so the answer is 503 with ``Retry-After`` (``VELFERD_DATABASE_RETRY_AFTER_SECONDS``).
Recovery needs no code here: the failed request's session is rolled back, and the pool refuses
to lend a connection the server closed (velferd.connection_check), so the first request after the
database is back gets a fresh one. SQL the database rejects (``no such table``, a syntax error) is not an outage and
stays a 500.
"""

from __future__ import annotations

import sqlite3

from flask import current_app
from sqlalchemy import exc

#: PostgreSQL error classes that mean "not now" (SQLSTATE): connection exceptions (08…), the
#: server shutting down or starting (57P01–57P03), too many connections (53300).
UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "57P01", "57P02", "57P03", "53300")
#: SQLite's words for a file that is busy or out of reach, as opposed to a statement it rejects.
UNAVAILABLE_SQLITE_MESSAGES = ("database is locked", "unable to open database file", "disk i/o error")


def is_database_unavailable(error: BaseException) -> bool:
    """True when `error` (or what it wraps, e.g. a 500 raised while handling it) says the
    database could not be reached or lost the connection, rather than that the SQL is wrong."""
    error = getattr(error, "original_exception", None) or error
    if isinstance(error, exc.TimeoutError):
        return True  # every pooled connection is busy: the database is there, but not for us just now
    if not isinstance(error, (exc.OperationalError, exc.InterfaceError)):
        return False
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        return True
    driver_error = error.orig
    if isinstance(driver_error, sqlite3.Error):
        return any(words in str(driver_error).lower() for words in UNAVAILABLE_SQLITE_MESSAGES)
    sqlstate = getattr(driver_error, "sqlstate", None)
    if sqlstate is None:
        return True  # psycopg: no server answered at all (refused, timed out, closed mid-way)
    return sqlstate.startswith(UNAVAILABLE_SQLSTATE_PREFIXES)


def connection_failure_reason(error: exc.DBAPIError) -> str:
    """The driver's first line about a failed connection ("…port 5432 failed: Connection
    refused", "…password authentication failed for user …"), without its hints; it names the
    host, port, role and database, never a password."""
    text = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    return " ".join(text.removeprefix("connection failed: ").split())


def retry_after_seconds() -> int:
    """What a 503 tells the caller to wait before trying again."""
    return int(current_app.config["DATABASE_RETRY_AFTER_SECONDS"])

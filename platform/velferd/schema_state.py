"""Whether the app's database has the schema this version of Velferd needs, asked before a
command uses it, so that a missing or stale database is one sentence ("run `velferd db upgrade`
first") instead of a traceback about a missing table; and without creating an empty SQLite file
on the way, as merely connecting to a SQLite path that does not exist would.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy.engine import make_url

from velferd import migrate
from velferd.db import db

UPGRADE_FIRST = "run `velferd db upgrade` first"


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names when it does not exist yet (None for other databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def schema_problem(app: Flask) -> str | None:
    """What keeps the app's database from serving this version, or None when it is migrated."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    where = make_url(url).render_as_string(hide_password=True)
    missing = missing_sqlite_file(url)
    if missing is not None:
        return f"there is no database at {missing} yet: {UPGRADE_FIRST} (or set VELFERD_DATABASE_URL)"
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                if not sa.inspect(connection).has_table("alembic_version"):
                    return f"the database {where} has no tables yet: {UPGRADE_FIRST}"
                current = _current_heads(connection)
        except sa.exc.OperationalError as error:
            return f"cannot connect to the database {where} ({type(error).__name__}): check VELFERD_DATABASE_URL"
    if current is not None and set(current) != set(migrate.current_heads(app)):
        return f"the database {where} is not up to date with this version of Velferd: {UPGRADE_FIRST}"
    return None


def _current_heads(connection: sa.Connection) -> tuple[str, ...] | None:
    """The database's revisions, or None when this role may not read them (the app role on
    PostgreSQL has no rights on alembic_version; the owner migrates)."""
    try:
        with connection.begin_nested():
            return MigrationContext.configure(connection).get_current_heads()
    except sa.exc.ProgrammingError:
        return None

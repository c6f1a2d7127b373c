"""Whether the app's database has the schema this version of Velferd needs — at the head of the
core's branch and of every installed plugin's — asked before a command uses it, when the web app,
the worker and beat start (`velferd.start_checks`) and by ``/readyz``, so that a missing or stale
database is one sentence naming what is pending ("run `velferd db upgrade` first") instead of a
traceback about a missing table, or a server that starts and fails request by request; and without
creating an empty SQLite file on the way, as merely connecting to a SQLite path that does not exist
would. On PostgreSQL the app role reads ``alembic_version`` (SELECT only, `velferd.rls`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask
from sqlalchemy.engine import make_url

from velferd import migrate
from velferd.database_outage import connection_failure_reason
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
    missing = missing_sqlite_file(url)
    if missing is not None:
        return f"there is no database at {missing} yet: {UPGRADE_FIRST} (or set VELFERD_DATABASE_URL)"
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                return pending_schema(app, connection, f"the database {_where(app)}")
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
            return f"cannot connect to the database {_where(app)}: {connection_failure_reason(error)}; " \
                   "check VELFERD_DATABASE_URL"


def pending_schema(app: Flask, connection: sa.Connection, where: str = "the database") -> str | None:
    """One sentence naming what `velferd db upgrade` would still apply (each branch — the core's,
    a plugin's — whose head the database lacks), or None when it is at every installed head.
    `where` names the database: its URL without the password for an operator's console, the
    default for ``/readyz``, which anyone who can reach the app may read."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return f"{where} has no tables yet: {UPGRADE_FIRST}"
    current = _current_heads(connection)
    if current is None:
        return (f"the database role of VELFERD_DATABASE_URL may not read alembic_version in {where}, so the "
                f"schema cannot be checked: {UPGRADE_FIRST} (it grants the app role read access)")
    script = _scripts(app)
    pending = [_describe_head(script, head) for head in sorted(script.get_heads())
               if _behind(script, head, set(current))]
    if pending:
        return (f"{where} is not up to date with this version of Velferd (pending: "
                f"{'; '.join(pending)}): {UPGRADE_FIRST}")
    return None


def _where(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)


def _scripts(app: Flask) -> ScriptDirectory:
    """The migration scripts of the core and every installed plugin, read once per app (the
    readiness probe asks often; the installed plugins do not change while a process runs)."""
    if "velferd.migration_scripts" not in app.extensions:
        app.extensions["velferd.migration_scripts"] = ScriptDirectory.from_config(migrate.alembic_config(app))
    return app.extensions["velferd.migration_scripts"]


def _behind(script: ScriptDirectory, head: str, current: set[str]) -> bool:
    """Whether the database lacks this version's `head`: it holds an older revision of that
    branch, or nothing of it — unless it holds revisions this version does not know, which a newer
    version wrote: then the old version keeps serving (a rolling deploy, a rollback; migrations
    are written to keep the previous version working)."""
    if head in current:
        return False
    known = {revision for revision in current if _known(script, revision)}
    ancestors = {script_.revision for script_ in script.walk_revisions("base", head)}
    return bool(known & ancestors) or known == current


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:  # alembic's "Can't locate revision identified by …"
        return False


def _describe_head(script: ScriptDirectory, head: str) -> str:
    """``branch due up to due_0002`` (a plugin's branch label), or the bare revision."""
    labels = sorted(script.get_revision(head).branch_labels)
    return f"branch {', '.join(labels)} up to {head}" if labels else f"revision {head}"


def _current_heads(connection: sa.Connection) -> tuple[str, ...] | None:
    """The database's revisions, or None when this role may not read them (an app role whose
    grants predate `velferd.rls.grant_app_role` giving it SELECT on alembic_version)."""
    try:
        with connection.begin_nested():
            return MigrationContext.configure(connection).get_current_heads()
    except sa.exc.ProgrammingError:
        return None

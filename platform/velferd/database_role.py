"""The web app and the worker refuse a database role that row-level security does not bind.

A superuser or a role with BYPASSRLS sees every tenant's rows whatever ``velferd.tenant_id`` says,
so the second layer of tenant isolation would be silently off. ``velferd db upgrade`` runs as the
schema owner and is not checked; the servers (``velferd.wsgi``, ``velferd.worker``) are, at start.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from velferd.config import ConfigurationError
from velferd.db import db

#: pg_roles column → the attribute's name in PostgreSQL's own words (``ALTER ROLE … NOSUPERUSER``).
PRIVILEGES_THAT_BYPASS_RLS = {"rolsuper": "SUPERUSER", "rolbypassrls": "BYPASSRLS"}


def bypassing_attributes(app: Flask) -> list[str]:
    """The attributes of the app's database role that bypass row-level security (none on SQLite)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return []
    columns = ", ".join(PRIVILEGES_THAT_BYPASS_RLS)
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                row = connection.execute(
                    sa.text(f"select {columns} from pg_roles where rolname = current_user")).mappings().one()
        finally:
            db.engine.dispose()  # no connection survives into forked server or pool processes
    return [name for column, name in PRIVILEGES_THAT_BYPASS_RLS.items() if row[column]]


def refuse_privileged_role(app: Flask) -> None:
    """Stop the start when the app's role bypasses row-level security, naming the attribute."""
    attributes = bypassing_attributes(app)
    if attributes:
        raise ConfigurationError(
            f"VELFERD_DATABASE_URL connects as a role with {' and '.join(attributes)}, which bypasses "
            "row-level security; connect the web app and the worker as a role created with NOSUPERUSER "
            "NOBYPASSRLS (the schema owner is only for `velferd db upgrade`)")

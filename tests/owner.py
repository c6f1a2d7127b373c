"""What only the schema owner may do, for tests that set the scene: the app role cannot read
password hashes nor change accounts (velferd.rls), so a test that deactivates an account or
inspects hashes does it as the owner — as an operator would with psql."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def owner_execute(app, sql: str, **params: Any) -> list[sa.Row]:
    """Run `sql` as the schema owner (the migration URL) and commit; returns the rows, if any."""
    engine = sa.create_engine(app.config["MIGRATION_DATABASE_URL"] or app.config["SQLALCHEMY_DATABASE_URI"],
                              poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(sql), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def deactivate(app, user_id: int) -> None:
    owner_execute(app, "update app_user set active = false where id = :id", id=user_id)


def password_hashes(app) -> list[str]:
    return [row[0] for row in owner_execute(app, "select password_hash from app_user order by id")]

"""Alembic environment: runs as the schema owner (``MIGRATION_DATABASE_URL``, else
``DATABASE_URL``), then grants the application role its rights."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from velferd import models  # noqa: F401  (registers every table on the metadata)
from velferd.db import Base
from velferd.rls import grant_app_role

config = context.config
url = config.get_main_option("sqlalchemy.url")
app_role = config.attributes.get("app_role", "velferd_app")


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)  # as the app's engine (velferd.db)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
            grant_app_role(connection, app_role)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Column and index builders for the Alembic migrations of tenant-owned tables, so every plugin
writes its tables the way the core does: an integer id, ``tenant_id`` referencing the tenant
(indexed — every query filters on it), constraint names by the core's naming convention, UTC
timestamps with time zone, JSON as JSONB on PostgreSQL. Row-level security comes on top with
``enable_tenant_rls``. Exposed to plugins through ``velferd.toolkit``."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

MAX_NAME = 63  # PostgreSQL's identifier limit


def tenant_columns(table: str) -> list:
    """The id and tenant_id every tenant-owned table starts with."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenant.id", name=f"fk_{table}_tenant_id_tenant"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def foreign_key(table: str, column: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}"[:MAX_NAME]),
                     nullable=nullable)


def utc_timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def date_column(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=nullable)


def json_column(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=nullable)


def tenant_indexes(table: str, *columns: str) -> None:
    """Index tenant_id and the given columns (call inside ``upgrade``)."""
    for column in ("tenant_id", *columns):
        op.create_index(f"ix_{table}_{column}", table, [column])

"""dropin: the centres and their cooperation agreements.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_dropin
Revises:
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import (
    date_column,
    enable_tenant_rls,
    foreign_key,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)

revision = "0001_dropin"
down_revision = None
branch_labels = ("dropin",)
depends_on = "0001_core"

TABLES = ("dropin_centre", "dropin_agreement")


def upgrade() -> None:
    t = "dropin_centre"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ownership", sa.String(20), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("private_room", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "name", name=f"uq_{t}_tenant_id_name"),
        sa.UniqueConstraint("tenant_id", "slug", name=f"uq_{t}_tenant_id_slug"),
    )
    tenant_indexes(t)

    t = "dropin_agreement"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        sa.Column("parties", sa.String(500), nullable=False),
        sa.Column("municipality_provides", sa.String(2000), nullable=False),
        sa.Column("centre_provides", sa.String(2000), nullable=False),
        date_column("starts_on"),
        date_column("ends_on", nullable=True),
        date_column("renew_by", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

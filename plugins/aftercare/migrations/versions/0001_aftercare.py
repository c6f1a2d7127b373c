"""aftercare: the building and its flats (the other parts add their tables in later revisions).

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0001_aftercare
Revises:
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import enable_tenant_rls, foreign_key, tenant_columns, tenant_indexes, utc_timestamp

revision = "0001_aftercare"
down_revision = None
branch_labels = ("aftercare",)
depends_on = "0001_core"

TABLES = ("aftercare_building", "aftercare_flat")


def upgrade() -> None:
    t = "aftercare_building"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("common_room", sa.Boolean(), nullable=False),
        sa.Column("staff_room", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "name", name=f"uq_{t}_tenant_id_name"),
    )
    tenant_indexes(t)

    t = "aftercare_flat"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "building_id", "aftercare_building"),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("own_entrance", sa.Boolean(), nullable=False),
        sa.Column("allocated_by", sa.String(20), nullable=False),
        sa.Column("partner_name", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("tenant_id", "building_id", "label", name=f"uq_{t}_tenant_id_building_id_label"),
    )
    tenant_indexes(t, "building_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

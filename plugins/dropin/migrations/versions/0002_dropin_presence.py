"""dropin: the outreach services' presence — services, weekly slots, holidays, cancelled
sessions and the published weeks of the public schedule.

Every table is tenant-owned and gets forced row-level security on PostgreSQL.

Revision ID: 0002_dropin_presence
Revises: 0001_dropin
"""
import sqlalchemy as sa
from alembic import op

from velferd.toolkit import (
    date_column,
    enable_tenant_rls,
    foreign_key,
    json_column,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)

revision = "0002_dropin_presence"
down_revision = "0001_dropin"
branch_labels = None
depends_on = None

TABLES = ("dropin_service", "dropin_slot", "dropin_holiday", "dropin_cancellation", "dropin_published_week")


def upgrade() -> None:
    t = "dropin_service"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("administration", sa.String(30), nullable=True),
        sa.Column("decides_cases", sa.Boolean(), nullable=False),
        sa.Column("staffed_by", sa.String(20), nullable=True),
        sa.Column("home_visits", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t)

    t = "dropin_slot"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        foreign_key(t, "service_id", "dropin_service"),
        foreign_key(t, "user_id", "app_user"),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        date_column("valid_from"),
        date_column("valid_until", nullable=True),
        sa.Column("private_room", sa.Boolean(), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id", "service_id", "user_id")

    t = "dropin_holiday"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        date_column("starts_on"),
        date_column("ends_on"),
        sa.Column("reason", sa.String(300), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "centre_id")

    t = "dropin_cancellation"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "slot_id", "dropin_slot"),
        date_column("falls_on"),
        sa.Column("reason", sa.String(300), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "slot_id", "falls_on", name=f"uq_{t}_tenant_id_slot_id_falls_on"),
    )
    tenant_indexes(t, "slot_id")

    t = "dropin_published_week"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "centre_id", "dropin_centre"),
        date_column("week_of"),
        utc_timestamp("built_at"),
        json_column("entries"),
        json_column("closed"),
        sa.UniqueConstraint("tenant_id", "centre_id", "week_of", name=f"uq_{t}_tenant_id_centre_id_week_of"),
    )
    tenant_indexes(t, "centre_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

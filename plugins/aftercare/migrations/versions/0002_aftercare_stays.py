"""aftercare: a resident's stay and the flats' occupancy periods.

Revision ID: 0002_aftercare_stays
Revises: 0001_aftercare
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

revision = "0002_aftercare_stays"
down_revision = "0001_aftercare"
branch_labels = None
depends_on = None

TABLES = ("aftercare_stay", "aftercare_occupancy")


def upgrade() -> None:
    t = "aftercare_stay"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        sa.Column("institution", sa.String(200), nullable=False),
        date_column("treatment_started_on"),
        date_column("treatment_ended_on", nullable=True),
        sa.Column("at_partner_institution", sa.Boolean(), nullable=False),
        sa.Column("home_municipality", sa.String(200), nullable=True),
        date_column("consent_on", nullable=True),
        date_column("rules_agreed_on", nullable=True),
        foreign_key(t, "flat_id", "aftercare_flat", nullable=True),
        date_column("moved_in_on", nullable=True),
        date_column("planned_move_out_on", nullable=True),
        date_column("limit_on", nullable=True),
        date_column("moved_out_on", nullable=True),
        sa.Column("destination", sa.String(40), nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "case_id", name=f"uq_{t}_tenant_id_case_id"),
    )
    tenant_indexes(t, "case_id", "flat_id")

    t = "aftercare_occupancy"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "flat_id", "aftercare_flat"),
        foreign_key(t, "case_id", "case_file", nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        date_column("starts_on"),
        date_column("ends_on", nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "flat_id", "case_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

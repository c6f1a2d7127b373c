"""aftercare: the staircase: steps, placements, contracts, breaches.

Revision ID: 0003_aftercare_staircase
Revises: 0002_aftercare_stays
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

revision = "0003_aftercare_staircase"
down_revision = "0002_aftercare_stays"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = ("aftercare_step", "aftercare_step_placement", "aftercare_lease", "aftercare_breach")


def upgrade() -> None:
    t = "aftercare_step"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("contract_kind", sa.String(20), nullable=False),
        sa.Column("trial_months", sa.Integer(), nullable=True),
        sa.Column("rights", sa.String(1000), nullable=False),
        sa.Column("help_level", sa.String(20), nullable=False),
        sa.Column("control_level", sa.String(20), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "number", name=f"uq_{t}_tenant_id_number"),
    )
    tenant_indexes(t)

    t = "aftercare_step_placement"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        sa.Column("step", sa.Integer(), nullable=False),
        date_column("starts_on"),
        date_column("ends_on", nullable=True),
        date_column("trial_ends_on", nullable=True),
        foreign_key(t, "decision_id", "decision", nullable=True),
        foreign_key(t, "created_by_id", "app_user", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "case_id", "decision_id")

    t = "aftercare_lease"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        foreign_key(t, "placement_id", "aftercare_step_placement"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        date_column("signed_on"),
        sa.Column("note", sa.String(500), nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "placement_id", name=f"uq_{t}_tenant_id_placement_id"),
    )
    tenant_indexes(t, "case_id", "placement_id")

    t = "aftercare_breach"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        date_column("occurred_on"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        foreign_key(t, "recorded_by_id", "app_user", nullable=True),
        utc_timestamp("recorded_at"),
        foreign_key(t, "decision_id", "decision", nullable=True),
    )
    tenant_indexes(t, "case_id", "decision_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

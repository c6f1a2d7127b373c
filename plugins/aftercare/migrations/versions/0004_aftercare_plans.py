"""aftercare: individual plans (goals, partners, the resident's participation), the qualification
programme and the G table.

Revision ID: 0004_aftercare_plans
Revises: 0003_aftercare_staircase
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

revision = "0004_aftercare_plans"
down_revision = "0003_aftercare_staircase"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = (
    "aftercare_plan", "aftercare_plan_goal", "aftercare_plan_partner", "aftercare_participation",
    "aftercare_qualification_programme", "aftercare_g_value",
)


def upgrade() -> None:
    t = "aftercare_plan"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        foreign_key(t, "contact_person_id", "app_user"),
        date_column("started_on"),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "case_id", name=f"uq_{t}_tenant_id_case_id"),
    )
    tenant_indexes(t, "case_id", "contact_person_id")

    t = "aftercare_plan_goal"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "plan_id", "aftercare_plan"),
        sa.Column("text", sa.String(1000), nullable=False),
        date_column("target_on", nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "plan_id")

    t = "aftercare_plan_partner"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "plan_id", "aftercare_plan"),
        sa.Column("partner", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("role", sa.String(1000), nullable=False),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "plan_id")

    t = "aftercare_participation"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "plan_id", "aftercare_plan"),
        date_column("consulted_on"),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("resident_said", sa.String(2000), nullable=False),
        sa.Column("changed", sa.String(2000), nullable=True),
        foreign_key(t, "recorded_by_id", "app_user", nullable=True),
        utc_timestamp("created_at"),
    )
    tenant_indexes(t, "plan_id")

    t = "aftercare_qualification_programme"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "case_id", "case_file"),
        date_column("granted_on"),
        date_column("starts_on"),
        date_column("ends_on"),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("child_rate_per_day", sa.Numeric(14, 2), nullable=False),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "case_id", name=f"uq_{t}_tenant_id_case_id"),
    )
    tenant_indexes(t, "case_id")

    t = "aftercare_g_value"
    op.create_table(
        t, *tenant_columns(t),
        date_column("effective_from"),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("source", sa.String(400), nullable=False),
        foreign_key(t, "entered_by_id", "app_user", nullable=True),
        utc_timestamp("entered_at"),
        sa.UniqueConstraint("tenant_id", "effective_from", name=f"uq_{t}_tenant_id_effective_from"),
    )
    tenant_indexes(t)

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

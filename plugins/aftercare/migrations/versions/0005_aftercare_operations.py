"""aftercare: the rota (the weekly pattern of shifts, assignments, uncovered shifts flagged) and the
budget (years, cost lines, financing lines).

Revision ID: 0005_aftercare_operations
Revises: 0004_aftercare_plans
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

revision = "0005_aftercare_operations"
down_revision = "0004_aftercare_plans"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = (
    "aftercare_rota_shift", "aftercare_rota_assignment", "aftercare_uncovered_shift",
    "aftercare_budget_year", "aftercare_budget_line", "aftercare_financing_line",
)


def upgrade() -> None:
    t = "aftercare_rota_shift"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.UniqueConstraint("tenant_id", "weekday", "kind", name=f"uq_{t}_tenant_id_weekday_kind"),
    )
    tenant_indexes(t)

    t = "aftercare_rota_assignment"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "shift_id", "aftercare_rota_shift"),
        date_column("works_on"),
        foreign_key(t, "user_id", "app_user"),
        foreign_key(t, "assigned_by_id", "app_user", nullable=True),
        utc_timestamp("assigned_at"),
        sa.UniqueConstraint("tenant_id", "shift_id", "works_on", name=f"uq_{t}_tenant_id_shift_id_works_on"),
    )
    tenant_indexes(t, "shift_id", "user_id")

    t = "aftercare_uncovered_shift"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "shift_id", "aftercare_rota_shift"),
        date_column("works_on"),
        date_column("flagged_on"),
        utc_timestamp("flagged_at"),
        sa.UniqueConstraint("tenant_id", "shift_id", "works_on", name=f"uq_{t}_tenant_id_shift_id_works_on"),
    )
    tenant_indexes(t, "shift_id")

    t = "aftercare_budget_year"
    op.create_table(
        t, *tenant_columns(t),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        utc_timestamp("created_at"),
        sa.UniqueConstraint("tenant_id", "year", name=f"uq_{t}_tenant_id_year"),
    )
    tenant_indexes(t)

    t = "aftercare_budget_line"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "budget_year_id", "aftercare_budget_year"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.UniqueConstraint("tenant_id", "budget_year_id", "kind", name=f"uq_{t}_tenant_id_budget_year_id_kind"),
    )
    tenant_indexes(t, "budget_year_id")

    t = "aftercare_financing_line"
    op.create_table(
        t, *tenant_columns(t),
        foreign_key(t, "budget_year_id", "aftercare_budget_year"),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.UniqueConstraint("tenant_id", "budget_year_id", "source",
                            name=f"uq_{t}_tenant_id_budget_year_id_source"),
    )
    tenant_indexes(t, "budget_year_id")

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

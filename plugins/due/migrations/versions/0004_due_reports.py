"""due: the reports to the referring unit as filed, each with every goal of the plan it was
written against and how that goal stands (guideline 2.3.3).

Revision ID: 0004_due_reports
Revises: 0003_due_plan_goals
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

revision = "0004_due_reports"
down_revision = "0003_due_plan_goals"
branch_labels = None
depends_on = None

TABLE = "due_report"


def upgrade() -> None:
    t = TABLE
    op.create_table(
        t, *tenant_columns(t), foreign_key(t, "case_id", "case_file"),
        foreign_key(t, "submission_id", "form_submission"), foreign_key(t, "deadline_id", "deadline"),
        sa.Column("kind", sa.String(20), nullable=False), date_column("written_on"), json_column("goals"),
        utc_timestamp("filed_at"),
        sa.UniqueConstraint("tenant_id", "submission_id", name=f"uq_{t}_tenant_id_submission_id"),
    )
    tenant_indexes(t, "case_id")
    enable_tenant_rls(op, t)


def downgrade() -> None:
    op.drop_table(TABLE)

"""aftercare: individual plans, the qualification programme and the G table (the tables are added by this part's work).

Revision ID: 0004_aftercare_plans
Revises: 0003_aftercare_staircase
"""
from alembic import op

from velferd.toolkit import enable_tenant_rls

revision = "0004_aftercare_plans"
down_revision = "0003_aftercare_staircase"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = ()


def upgrade() -> None:
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

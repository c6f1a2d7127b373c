"""aftercare: the rota and the budget (the tables are added by this part's work).

Revision ID: 0005_aftercare_operations
Revises: 0004_aftercare_plans
"""
from alembic import op

from velferd.toolkit import enable_tenant_rls

revision = "0005_aftercare_operations"
down_revision = "0004_aftercare_plans"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = ()


def upgrade() -> None:
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

"""aftercare: the staircase: steps, placements, contracts, breaches (the tables are added by this part's work).

Revision ID: 0003_aftercare_staircase
Revises: 0002_aftercare_stays
"""
from alembic import op

from velferd.toolkit import enable_tenant_rls

revision = "0003_aftercare_staircase"
down_revision = "0002_aftercare_stays"
branch_labels = None
depends_on = None

TABLES: tuple[str, ...] = ()


def upgrade() -> None:
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

"""due: the goals of the youth's plan (tiltaksplan / individuell plan), which the reports every
fourth month are written against (guideline 2.3.3).

Revision ID: 0003_due_plan_goals
Revises: 0002_due_vedtak_transfer
"""
from alembic import op

from velferd.toolkit import json_column

revision = "0003_due_plan_goals"
down_revision = "0002_due_vedtak_transfer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("due_placement") as table:
        table.add_column(json_column("plan_goals", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("due_placement") as table:
        table.drop_column("plan_goals")

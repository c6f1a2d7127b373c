"""due: the vedtak's period (valid from / to), and on a transfer the joint assessment of whether
it is in the youth's interest and the leaders of the units who settled a disagreement.

Revision ID: 0002_due_vedtak_transfer
Revises: 0001_due
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_due_vedtak_transfer"
down_revision = "0001_due"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("due_vedtak") as table:
        table.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        table.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
    with op.batch_alter_table("due_transfer") as table:
        table.add_column(sa.Column("in_youths_interest", sa.Boolean(), nullable=True))
        table.add_column(sa.Column("interest_assessment", sa.Text(), nullable=True))
        table.add_column(sa.Column("from_unit_leader", sa.String(200), nullable=True))
        table.add_column(sa.Column("to_unit_leader", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("due_transfer") as table:
        for column in ("to_unit_leader", "from_unit_leader", "interest_assessment", "in_youths_interest"):
            table.drop_column(column)
    with op.batch_alter_table("due_vedtak") as table:
        table.drop_column("valid_to")
        table.drop_column("valid_from")

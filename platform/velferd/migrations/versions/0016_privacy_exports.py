"""The access-log and data-subject export settings: the municipality's policy on naming staff in
the citizen's access log (velferd.access_log). Off for every tenant: staff are shown by role and
unit (their function, as C-579/21 allows), by name only where the municipality decides so.

Revision ID: 0016_privacy_exports
Revises: 0015_person_corrections
Create Date: 2026-12-04 01:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_privacy_exports'
down_revision = '0015_person_corrections'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN, not a batch: SQLite's batch would rebuild ``tenant`` under 0013's triggers
    op.add_column('tenant', sa.Column('access_log_staff_names', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    # DROP COLUMN in place on both (SQLite since 3.35), for the same reason as the upgrade
    op.execute("ALTER TABLE tenant DROP COLUMN access_log_staff_names")

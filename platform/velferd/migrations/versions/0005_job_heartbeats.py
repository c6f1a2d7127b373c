"""Job heartbeats: a running job's worker renews ``heartbeat_at`` every few seconds, so the
sweeper can tell a job whose worker died (or lost its database) from one still at work, within
a minute instead of after hours.

Revision ID: 0005_job_heartbeats
Revises: 0004_accounts
Create Date: 2026-12-01 22:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_job_heartbeats'
down_revision = '0004_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')

"""The request id on each job: the web request (or the schedule's firing) that asked for it.

Written by `velferd.jobs.outbox.enqueue` from the request's id (`velferd.request_log`), so a job's
log lines — on whichever worker, after however many retries and sweeps — carry the id of the
request that enqueued it, and one search of the logs finds a user's click and everything it set
going. Nullable: jobs from before this revision have none.

Revision ID: 0012_job_request_id
Revises: 0011_open_cases_index
Create Date: 2026-12-02 21:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_job_request_id'
down_revision = '0011_open_cases_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_column('request_id')

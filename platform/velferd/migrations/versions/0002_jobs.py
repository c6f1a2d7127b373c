"""Background jobs: the job_run table, which is each job's record and the outbox.

Revision ID: 0002_jobs
Revises: 0001_core
Create Date: 2026-11-22 09:00:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from velferd.rls import enable_tenant_rls

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


revision = '0002_jobs'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=100), nullable=False),
    sa.Column('plugin', sa.String(length=40), nullable=True),
    sa.Column('kwargs', JSON, nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('retry_of_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', JSON, nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state in ('pending', 'queued', 'running', 'retrying', 'succeeded', 'failed')", name=op.f('ck_job_run_state')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_job_run_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['retry_of_id'], ['job_run.id'], name=op.f('fk_job_run_retry_of_id_job_run')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_job_run_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
    sa.UniqueConstraint('tenant_id', 'idempotency_key', name=op.f('uq_job_run_tenant_id_idempotency_key'))
    )
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_run_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_job_run_tenant_id_state', ['tenant_id', 'state'], unique=False)
    enable_tenant_rls(op, "job_run")


def downgrade() -> None:
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_index('ix_job_run_tenant_id_state')
        batch_op.drop_index(batch_op.f('ix_job_run_tenant_id'))

    op.drop_table('job_run')

"""Retention rules, disposal proposals and their approvals (issue 18, point 5).

* ``retention_setting``: the tenant's period for a declared rule, within its legal bounds.
* ``retention_hold``: a record on legal hold or under appeal, skipped by every disposal.
* ``retention_proposal`` / ``retention_approval``: what the nightly job found due, and the
  members who approved it (two different ones carry it out).
* ``retention_disposal``: the disposal log (rule, record type, ids, action, approvers, time; no
  personal data); ``retention_mark``: the records anonymised or deposited.

Revision ID: 0017_retention
Revises: 0016_privacy_exports
Create Date: 2026-12-04 01:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

from velferd.migration_columns import (
    date_column,
    foreign_key,
    json_column,
    tenant_columns,
    tenant_indexes,
    utc_timestamp,
)
from velferd.rls import enable_tenant_rls

revision = '0017_retention'
down_revision = '0016_privacy_exports'
branch_labels = None
depends_on = None

TABLES = ('retention_mark', 'retention_disposal', 'retention_approval', 'retention_proposal', 'retention_hold',
          'retention_setting')


def upgrade() -> None:
    op.create_table(
        'retention_setting',
        *tenant_columns('retention_setting'),
        sa.Column('rule', sa.String(length=80), nullable=False),
        sa.Column('years', sa.Integer(), nullable=False),
        foreign_key('retention_setting', 'changed_by_id', 'app_user', nullable=True),
        utc_timestamp('changed_at'),
        sa.UniqueConstraint('tenant_id', 'rule', name='uq_retention_setting_tenant_id_rule'),
    )
    tenant_indexes('retention_setting')
    op.create_table(
        'retention_hold',
        *tenant_columns('retention_hold'),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        foreign_key('retention_hold', 'placed_by_id', 'app_user', nullable=True),
        utc_timestamp('placed_at'),
        foreign_key('retention_hold', 'released_by_id', 'app_user', nullable=True),
        utc_timestamp('released_at', nullable=True),
    )
    tenant_indexes('retention_hold')
    op.create_index('ix_retention_hold_record', 'retention_hold', ['tenant_id', 'record_type', 'record_id'])
    op.create_table(
        'retention_proposal',
        *tenant_columns('retention_proposal'),
        sa.Column('rule', sa.String(length=80), nullable=False),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        json_column('record_ids'),
        date_column('due_on'),
        foreign_key('retention_proposal', 'job_id', 'job_run', nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        utc_timestamp('created_at'),
        sa.CheckConstraint("status in ('pending', 'carried_out')", name='ck_retention_proposal_status'),
    )
    tenant_indexes('retention_proposal')
    op.create_table(
        'retention_approval',
        *tenant_columns('retention_approval'),
        foreign_key('retention_approval', 'proposal_id', 'retention_proposal'),
        foreign_key('retention_approval', 'user_id', 'app_user'),
        utc_timestamp('at'),
        sa.UniqueConstraint('tenant_id', 'proposal_id', 'user_id',
                            name='uq_retention_approval_tenant_id_proposal_id_user_id'),
    )
    tenant_indexes('retention_approval', 'proposal_id')
    op.create_table(
        'retention_disposal',
        *tenant_columns('retention_disposal'),
        foreign_key('retention_disposal', 'proposal_id', 'retention_proposal'),
        sa.Column('rule', sa.String(length=80), nullable=False),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        json_column('record_ids'),
        json_column('skipped'),
        foreign_key('retention_disposal', 'proposed_by_job_id', 'job_run', nullable=True),
        json_column('approver_ids'),
        json_column('packages'),
        utc_timestamp('at'),
    )
    tenant_indexes('retention_disposal', 'proposal_id')
    op.create_table(
        'retention_mark',
        *tenant_columns('retention_mark'),
        sa.Column('record_type', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        foreign_key('retention_mark', 'disposal_id', 'retention_disposal'),
        utc_timestamp('at'),
        sa.UniqueConstraint('tenant_id', 'record_type', 'record_id', 'disposal_id',
                            name='uq_retention_mark_tenant_id_record_type_record_id_disposal_id'),
    )
    tenant_indexes('retention_mark')
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

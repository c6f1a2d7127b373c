"""Billing facts finance reads: the role that can unblock a run, and how a catch-up run dates its invoices.

``invoice_run.fixed_by_role`` names who can supply what a blocked run lacks (billing.blocked);
``billing_profile.catch_up_issue_date`` is ``run_day`` (the default, what was done before) or
``period_end`` (billing.issue_dates).

Revision ID: 0006_billing_facts
Revises: 0005_job_heartbeats
Create Date: 2026-12-01 22:45:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_billing_facts'
down_revision = '0005_job_heartbeats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invoice_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fixed_by_role', sa.String(length=40), nullable=True))
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('catch_up_issue_date', sa.String(length=20), server_default='run_day',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.drop_column('catch_up_issue_date')
    with op.batch_alter_table('invoice_run', schema=None) as batch_op:
        batch_op.drop_column('fixed_by_role')

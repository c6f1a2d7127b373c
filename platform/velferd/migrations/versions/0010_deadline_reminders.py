"""Deadline reminders by e-mail: the member's opt-in and the record of what was sent.

* ``membership.email_reminders``: the member asked for a daily e-mail when they have deadlines
  due or overdue in this municipality (the tasks page's checkbox). Per membership, not on
  ``app_user``: the mail, its link and its counts are a municipality's, and ``app_user`` is
  closed to the application role but for a few readable columns (velferd.rls). False for all.
* ``reminder_mail``: one row per user, municipality and day an e-mail went out, with its counts,
  so a retried or repeated daily job sends nothing twice (velferd.reminder_mail).

Revision ID: 0010_deadline_reminders
Revises: 0009_credit_origin
Create Date: 2026-12-02 07:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

from velferd.rls import enable_tenant_rls

revision = '0010_deadline_reminders'
down_revision = '0009_credit_origin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_reminders', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'reminder_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('overdue', sa.Integer(), nullable=False),
        sa.Column('upcoming', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_reminder_mail_user_id_app_user')),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_reminder_mail_tenant_id_tenant')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_mail')),
        sa.UniqueConstraint('tenant_id', 'user_id', 'sent_on', name=op.f('uq_reminder_mail_tenant_id_user_id_sent_on')),
    )
    with op.batch_alter_table('reminder_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_mail_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_mail_user_id'), ['user_id'], unique=False)
    enable_tenant_rls(op, 'reminder_mail')


def downgrade() -> None:
    op.drop_table('reminder_mail')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('email_reminders')

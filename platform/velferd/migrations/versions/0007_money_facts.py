"""Money facts: finance export files, accounting dimensions, payment references, line keys,
meeting participants.

* ``finance_export_file``: every file of the finance export; ``invoice.export_file_id`` puts each
  issued invoice and credit note in exactly one of them.
* ``billing_profile``: the accounting dimensions the export carries (``ledger_account``,
  ``cost_centre``, ``service_code``, per-plugin overrides in ``dimensions_by_plugin``) and a
  Danish tenant's FI creditor number (``fi_creditor_number``).
* ``invoice.accounting`` and ``invoice.payment_reference``: frozen at issue.
* ``invoice_line.line_key``: what a line bills, so a catch-up tells billed from not billed;
  ``invoice_line.case_reference`` widened to hold a vedtak reference (100).
* ``meeting.participants``: who took part in a meeting.

Revision ID: 0007_money_facts
Revises: 0006_billing_facts
Create Date: 2026-12-02 00:45:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from velferd.rls import enable_tenant_rls

revision = '0007_money_facts'
down_revision = '0006_billing_facts'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        'finance_export_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('document_count', sa.Integer(), nullable=False),
        sa.Column('net_total', sa.Numeric(precision=14, scale=2, asdecimal=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['invoice_run.id'], name=op.f('fk_finance_export_file_run_id_invoice_run')),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_finance_export_file_tenant_id_tenant')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_export_file')),
        sa.UniqueConstraint('tenant_id', 'path', name=op.f('uq_finance_export_file_tenant_id_path')),
    )
    with op.batch_alter_table('finance_export_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_export_file_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_export_file_tenant_id'), ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'finance_export_file')

    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ledger_account', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('cost_centre', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('service_code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('dimensions_by_plugin', JSON, server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('fi_creditor_number', sa.String(length=8), nullable=True))
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('export_file_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accounting', JSON, nullable=True))
        batch_op.add_column(sa.Column('payment_reference', sa.String(length=35), nullable=True))
        batch_op.create_index(batch_op.f('ix_invoice_export_file_id'), ['export_file_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invoice_export_file_id_finance_export_file'),
                                    'finance_export_file', ['export_file_id'], ['id'])
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_key', sa.String(length=80), nullable=True))
        batch_op.alter_column('case_reference', existing_type=sa.String(length=60), type_=sa.String(length=100),
                              existing_nullable=True)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants', JSON, server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('participants')
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.alter_column('case_reference', existing_type=sa.String(length=100), type_=sa.String(length=60),
                              existing_nullable=True)
        batch_op.drop_column('line_key')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invoice_export_file_id_finance_export_file'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invoice_export_file_id'))
        batch_op.drop_column('payment_reference')
        batch_op.drop_column('accounting')
        batch_op.drop_column('export_file_id')
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.drop_column('fi_creditor_number')
        batch_op.drop_column('dimensions_by_plugin')
        batch_op.drop_column('service_code')
        batch_op.drop_column('cost_centre')
        batch_op.drop_column('ledger_account')
    op.drop_table('finance_export_file')

"""Billing: payer details on units, billing profiles, invoices and credit notes, their lines,
number sequences, invoice runs and delivery attempts.

One invoice per (tenant, plugin, payer, period) among those not credited in full is a partial
unique index (PostgreSQL and SQLite both support it), the database's guarantee that a run
started twice bills once. Every new table is tenant-owned and gets row-level security.

Revision ID: 0003_billing
Revises: 0002_jobs
Create Date: 2026-11-23 16:55:04.026750
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB
from velferd.rls import enable_tenant_rls

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TENANT_TABLES = (
    "billing_profile", "invoice_number_sequence", "invoice_run", "invoice", "delivery_attempt", "invoice_line",
)


revision = '0003_billing'
down_revision = '0002_jobs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('billing_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vat_category', sa.String(length=1), nullable=False),
    sa.Column('vat_exemption_reason', sa.Text(), nullable=True),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('bank_account', sa.String(length=34), nullable=True),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('sender_email', sa.String(length=254), nullable=True),
    sa.Column('address', sa.String(length=400), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("vat_category in ('O', 'E', 'S')", name=op.f('ck_billing_profile_vat_category')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_billing_profile_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_profile')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_billing_profile_tenant_id'))
    )
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_profile_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('invoice_number_sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_invoice_number_sequence_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_number_sequence')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_invoice_number_sequence_tenant_id'))
    )
    with op.batch_alter_table('invoice_number_sequence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_number_sequence_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('invoice_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('plugins', JSON, nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invoice_count', sa.Integer(), nullable=False),
    sa.Column('held_count', sa.Integer(), nullable=False),
    sa.Column('export_count', sa.Integer(), nullable=False),
    sa.Column('export_path', sa.String(length=500), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state in ('running', 'completed', 'failed', 'reopened')", name=op.f('ck_invoice_run_state')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_invoice_run_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_invoice_run_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_run')),
    sa.UniqueConstraint('tenant_id', 'period_start', 'period_end', name=op.f('uq_invoice_run_tenant_id_period_start_period_end'))
    )
    with op.batch_alter_table('invoice_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_run_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('plugin', sa.String(length=40), nullable=False),
    sa.Column('payer_unit_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('hold_reason', sa.Text(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('credits_invoice_id', sa.Integer(), nullable=True),
    sa.Column('credit_reason', sa.Text(), nullable=True),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('credited_total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('payer_snapshot', JSON, nullable=True),
    sa.Column('seller_snapshot', JSON, nullable=True),
    sa.Column('vat_category', sa.String(length=1), nullable=True),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('vat_exemption_reason', sa.Text(), nullable=True),
    sa.Column('bank_account', sa.String(length=34), nullable=True),
    sa.Column('payment_terms_days', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'invoice' or credits_invoice_id is not null", name=op.f('ck_invoice_credit_note_credits')),
    sa.CheckConstraint("kind in ('invoice', 'credit_note')", name=op.f('ck_invoice_kind')),
    sa.CheckConstraint("status in ('draft', 'held', 'issued', 'sent', 'failed', 'credited')", name=op.f('ck_invoice_status')),
    sa.ForeignKeyConstraint(['credits_invoice_id'], ['invoice.id'], name=op.f('fk_invoice_credits_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['payer_unit_id'], ['unit.id'], name=op.f('fk_invoice_payer_unit_id_unit')),
    sa.ForeignKeyConstraint(['run_id'], ['invoice_run.id'], name=op.f('fk_invoice_run_id_invoice_run')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_invoice_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_invoice_tenant_id_number'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_credits_invoice_id'), ['credits_invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_payer_unit_id'), ['payer_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_invoice_tenant_id_period', ['tenant_id', 'period_start', 'status'], unique=False)
        batch_op.create_index('uq_invoice_once_per_payer_and_period', ['tenant_id', 'plugin', 'payer_unit_id', 'period_start', 'period_end'], unique=True, postgresql_where=sa.text("kind = 'invoice' and status <> 'credited'"), sqlite_where=sa.text("kind = 'invoice' and status <> 'credited'"))

    op.create_table('delivery_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('details', JSON, nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_delivery_attempt_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_delivery_attempt_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempt')),
    sa.UniqueConstraint('tenant_id', 'invoice_id', 'attempt', name=op.f('uq_delivery_attempt_tenant_id_invoice_id_attempt'))
    )
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempt_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_attempt_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('case_reference', sa.String(length=60), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_invoice_line_case_id_case_file')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_invoice_line_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_invoice_line_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line')),
    sa.UniqueConstraint('tenant_id', 'invoice_id', 'position', name=op.f('uq_invoice_line_tenant_id_invoice_id_position'))
    )
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_line_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_line_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_line_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postal_code', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('ehf_endpoint', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('buyer_reference', sa.String(length=100), nullable=True))
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)



def downgrade() -> None:
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('buyer_reference')
        batch_op.drop_column('ehf_endpoint')
        batch_op.drop_column('country')
        batch_op.drop_column('city')
        batch_op.drop_column('postal_code')

    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_line_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_line_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_line_case_id'))

    op.drop_table('invoice_line')
    with op.batch_alter_table('delivery_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_invoice_id'))

    op.drop_table('delivery_attempt')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index('uq_invoice_once_per_payer_and_period', postgresql_where=sa.text("kind = 'invoice' and status <> 'credited'"), sqlite_where=sa.text("kind = 'invoice' and status <> 'credited'"))
        batch_op.drop_index('ix_invoice_tenant_id_period')
        batch_op.drop_index(batch_op.f('ix_invoice_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_run_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_payer_unit_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_credits_invoice_id'))

    op.drop_table('invoice')
    with op.batch_alter_table('invoice_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_run_tenant_id'))

    op.drop_table('invoice_run')
    with op.batch_alter_table('invoice_number_sequence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_number_sequence_tenant_id'))

    op.drop_table('invoice_number_sequence')
    with op.batch_alter_table('billing_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_profile_tenant_id'))

    op.drop_table('billing_profile')

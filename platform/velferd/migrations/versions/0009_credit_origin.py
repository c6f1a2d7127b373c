"""Credit origin, and the export files of runs exported before 0007.

* ``invoice.credit_origin``: who made a credit note — ``finance`` (by hand, through the API) or
  ``catch_up`` (the run's automatic credit of a line no longer owed, billing.catch_up); null for
  invoices. The catch-up used to tell its own credit notes by the end of their reason text; the
  existing credit notes are classified from that text here, once, and nothing reads it again.
* Runs exported before 0007 have an ``export_path`` but no ``finance_export_file`` row, so the
  export list and download could not show their file and the documents in it had no
  ``export_file_id``. Each such run gets one row (sequence = the run's ``export_count``, path =
  its ``export_path``, count and net of its exported documents) and those documents point at it.
  Credit notes made before 0007 had no ``run_id``; they take the run of the invoice they credit
  first, so they are counted in that run's file, as billing.credit does since.

Revision ID: 0009_credit_origin
Revises: 0008_vat_registered
Create Date: 2026-12-02 01:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_credit_origin'
down_revision = '0008_vat_registered'
branch_labels = None
depends_on = None

#: how billing.catch_up ended the reason of its credit notes before this column existed
CATCH_UP_REASON_END = "no longer owed as registered now"


def upgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_origin', sa.String(length=12), nullable=True))
    for _ in each_tenant():
        op.execute(sa.text(
            "UPDATE invoice SET credit_origin = CASE WHEN credit_reason LIKE :catch_up THEN 'catch_up' "
            "ELSE 'finance' END WHERE kind = 'credit_note'").bindparams(catch_up=f"%{CATCH_UP_REASON_END}"))
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_invoice_credit_origin'),
            "(kind = 'invoice' and credit_origin is null) or "
            "(kind = 'credit_note' and credit_origin in ('finance', 'catch_up'))")
    for _ in each_tenant():
        _backfill_pre_0007_export_files()


def each_tenant():
    """Once per tenant with its row-level-security setting made (PostgreSQL's policies bind the
    table owner too, FORCE), or once for all on SQLite."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        yield None
        return
    for (tenant_id,) in bind.execute(sa.text("SELECT id FROM tenant ORDER BY id")).all():
        bind.execute(sa.text("SELECT set_config('velferd.tenant_id', :value, true)"), {"value": str(tenant_id)})
        yield tenant_id
    bind.execute(sa.text("SELECT set_config('velferd.tenant_id', '', true)"))


def _backfill_pre_0007_export_files() -> None:
    op.execute(
        "UPDATE invoice SET run_id = (SELECT original.run_id FROM invoice AS original "
        "WHERE original.id = invoice.credits_invoice_id) "
        "WHERE kind = 'credit_note' AND run_id IS NULL")
    # a run whose export_path has no file row yet (a run exported since 0007 has its files already)
    op.execute(
        "INSERT INTO finance_export_file (tenant_id, run_id, sequence, path, document_count, net_total, created_at) "
        "SELECT run.tenant_id, run.id, run.export_count, run.export_path, "
        "(SELECT count(*) FROM invoice WHERE invoice.run_id = run.id AND invoice.exported_at IS NOT NULL), "
        "coalesce((SELECT sum(CASE WHEN invoice.kind = 'invoice' THEN invoice.total ELSE -invoice.total END) "
        "FROM invoice WHERE invoice.run_id = run.id AND invoice.exported_at IS NOT NULL), 0), "
        "coalesce((SELECT max(invoice.exported_at) FROM invoice WHERE invoice.run_id = run.id), "
        "run.finished_at, run.started_at) "
        "FROM invoice_run AS run "
        "WHERE run.export_path IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM finance_export_file AS file WHERE file.run_id = run.id)")
    op.execute(
        "UPDATE invoice SET export_file_id = (SELECT file.id FROM finance_export_file AS file "
        "WHERE file.run_id = invoice.run_id AND file.path = (SELECT run.export_path FROM invoice_run AS run "
        "WHERE run.id = invoice.run_id)) "
        "WHERE exported_at IS NOT NULL AND export_file_id IS NULL AND run_id IS NOT NULL")


def downgrade() -> None:
    # the backfilled export files and run ids stay: they describe what was exported
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invoice_credit_origin'), type_='check')
        batch_op.drop_column('credit_origin')

"""Finance export files: the run's file for the municipality's finance system, and a one-document
file for what is issued outside a run (credit notes, released invoices).

The run's file lists every invoice the run issued that is not in an earlier file
(``exported_at``), so a re-run after a crash or a reopened period never exports an invoice
twice. Payers on the finance-export channel are delivered by that file: their invoices are
marked sent, with a delivery attempt on record, in the transaction that records the file.
The file name carries the export's sequence number, which is only advanced on commit, so a
crash between writing the file and committing rewrites the same file instead of adding one.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from velferd.billing.documents_for import document_for
from velferd.billing.files import FINANCE_EXPORT, relative_to_instance, tenant_folder, write_atomically
from velferd.billing.finance_export import export_csv, rows_for
from velferd.db import db, utcnow
from velferd.models import DeliveryAttempt, Invoice, InvoiceRun, Tenant


def export_rows(invoices: list[Invoice]):
    for invoice in invoices:
        payer = invoice.payer_snapshot or {}
        yield from rows_for(document_for(invoice), payer_kind=payer.get("payer_kind") or "",
                            delivery_channel=payer.get("delivery_channel") or "", plugin=invoice.plugin)


def mark_exported(invoices: list[Invoice], path: Path) -> None:
    """Record the export; finance-export payers' invoices are delivered by it (one attempt row
    each, written in one statement)."""
    now = utcnow()
    delivered = [i for i in invoices if i.channel == "finance_export" and i.sent_at is None]
    made = dict(db.session.execute(
        sa.select(DeliveryAttempt.invoice_id, sa.func.count()).where(
            DeliveryAttempt.invoice_id.in_([i.id for i in delivered])).group_by(DeliveryAttempt.invoice_id)).all())
    if delivered:
        file = relative_to_instance(path)
        db.session.execute(DeliveryAttempt.__table__.insert().values([
            {"tenant_id": invoice.tenant_id, "invoice_id": invoice.id, "channel": "finance_export",
             "attempt": made.get(invoice.id, 0) + 1, "started_at": now, "finished_at": now, "outcome": "sent",
             "details": {"file": file}} for invoice in delivered]))
    for invoice in invoices:
        invoice.exported_at = now
    for invoice in delivered:
        invoice.sent_at = now
        if invoice.status == "issued":
            invoice.status = "sent"


def export_run(tenant: Tenant, run: InvoiceRun) -> Path | None:
    """Write the run's export of the invoices not exported yet; None when there are none."""
    invoices = db.session.scalars(
        sa.select(Invoice).where(Invoice.run_id == run.id, Invoice.number.is_not(None),
                                 Invoice.exported_at.is_(None))
        .order_by(Invoice.number)).all()
    if not invoices:
        return None
    sequence = run.export_count + 1
    path = tenant_folder(tenant.id, FINANCE_EXPORT) / f"invoices-{run.period_start:%Y-%m}-run{run.id}-{sequence}.csv"
    write_atomically(path, export_csv(export_rows(invoices)))
    mark_exported(invoices, path)
    run.export_count, run.export_path = sequence, relative_to_instance(path)
    db.session.flush()
    return path


def export_document(tenant: Tenant, invoice: Invoice) -> Path:
    """A one-document export for an invoice issued outside a run (its delivery job writes it)."""
    name = f"{invoice.kind.replace('_', '-')}-{invoice.number}.csv"
    path = tenant_folder(tenant.id, FINANCE_EXPORT) / name
    write_atomically(path, export_csv(export_rows([invoice])))
    return path

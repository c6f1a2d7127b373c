"""Finance export files: the run's file for the municipality's finance system, and a one-document
file for what is issued outside a run (credit notes, released invoices).

The run's file lists every invoice the run issued that is not in an earlier file
(``exported_at``), so a re-run after a crash or a reopened period never exports an invoice
twice. Payers on the finance-export channel are delivered by that file: their invoices are
marked sent, with a delivery attempt on record, in the transaction that records the file.
The file name carries the export's sequence number, which is only advanced on commit, so a
crash between writing the file and committing rewrites the same file instead of adding one.

The run's file is made from plain rows, not from ORM objects and documents — a run exports one
line per billed placement: the invoices come from one query, their lines from memory (what the
run just wrote) or, for an interrupted run's invoices, from one more query. The rows go through
the same `finance_export.export_rows` as a document's file, so the columns are filled in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

from velferd.billing.documents_for import document_for
from velferd.billing.files import FINANCE_EXPORT, relative_to_instance, tenant_folder, write_atomically
from velferd.billing.finance_export import ExportedInvoice, FinanceExportRow, export_csv, export_rows, rows_for
from velferd.db import UtcDateTime, db, utcnow
from velferd.models import DeliveryAttempt, Invoice, InvoiceLine, InvoiceRun, Tenant


class ExportedRef(NamedTuple):
    """An invoice in the run's file: what marking it exported and delivering it need."""

    id: int
    channel: str | None
    status: str
    sent_at: dt.datetime | None


def document_rows(invoices: list[Invoice]):
    """Export rows of stored invoices through their documents (one-document files)."""
    for invoice in invoices:
        payer = invoice.payer_snapshot or {}
        yield from rows_for(document_for(invoice), payer_kind=payer.get("payer_kind") or "",
                            delivery_channel=payer.get("delivery_channel") or "", plugin=invoice.plugin)


def _unexported():
    return (Invoice.run_id == sa.bindparam("run_id"), Invoice.number.is_not(None), Invoice.exported_at.is_(None))


UNEXPORTED_INVOICES = (
    sa.select(Invoice.id, Invoice.number, Invoice.kind, Invoice.issue_date, Invoice.due_date, Invoice.plugin,
              Invoice.currency, Invoice.vat_category, Invoice.vat_rate, Invoice.payer_snapshot, Invoice.status,
              Invoice.sent_at)
    .where(*_unexported()).order_by(Invoice.number))
UNEXPORTED_LINES = (
    sa.select(InvoiceLine.invoice_id, InvoiceLine.position, InvoiceLine.description, InvoiceLine.quantity,
              InvoiceLine.unit_price, InvoiceLine.amount, InvoiceLine.period_start, InvoiceLine.period_end,
              InvoiceLine.case_reference)
    .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
    .where(*_unexported(), Invoice.id.in_(sa.bindparam("invoice_ids", expanding=True)))
    .order_by(Invoice.number, InvoiceLine.position))


def run_rows(run_id: int, written: Mapping[int, Sequence] | None = None) -> tuple[list[FinanceExportRow], list[ExportedRef]]:
    """The export rows of the run's issued invoices not exported yet, in number order. `written`
    has the lines of invoices this process just wrote ({invoice id: lines}); only the others'
    lines (an interrupted run's) are read back."""
    written = written or {}
    invoices = db.session.execute(UNEXPORTED_INVOICES, {"run_id": run_id}).all()
    if not invoices:
        return [], []
    records, refs = {}, []
    for row in invoices:
        payer = row.payer_snapshot or {}
        records[row.id] = ExportedInvoice(
            number=row.number, kind=row.kind, credited_number=None,  # a run issues invoices, no credit notes
            issue_date=row.issue_date, due_date=row.due_date, payer_name=payer.get("name"),
            payer_organisation_number=payer.get("organisation_number"), payer_kind=payer.get("payer_kind") or "",
            delivery_channel=payer.get("delivery_channel") or "", plugin=row.plugin, currency=row.currency,
            vat_category=row.vat_category or "O", vat_rate=row.vat_rate or 0)
        refs.append(ExportedRef(row.id, payer.get("delivery_channel"), row.status, row.sent_at))
    stored = _stored_lines(run_id, [ref.id for ref in refs if ref.id not in written])
    rows: list[FinanceExportRow] = []
    for ref in refs:
        rows += export_rows(records[ref.id], written[ref.id] if ref.id in written else stored.get(ref.id, ()))
    return rows, refs


def _stored_lines(run_id: int, invoice_ids: list[int]) -> dict[int, list]:
    if not invoice_ids:
        return {}
    lines = db.session.execute(UNEXPORTED_LINES, {"run_id": run_id, "invoice_ids": invoice_ids})
    return {invoice_id: list(group) for invoice_id, group in groupby(lines, key=lambda line: line.invoice_id)}


_EARLIER_ATTEMPTS = (sa.select(sa.func.coalesce(sa.func.max(DeliveryAttempt.attempt), 0))
                     .where(DeliveryAttempt.invoice_id == Invoice.id).scalar_subquery())
_NOW = sa.bindparam("now", type_=UtcDateTime())
_DELIVERED = Invoice.id.in_(sa.bindparam("delivered", expanding=True))
# built once: a run records one file per tenant, and building these costs more than running them
RECORD_FILE_DELIVERIES = DeliveryAttempt.__table__.insert().from_select(
    ["tenant_id", "invoice_id", "channel", "attempt", "started_at", "finished_at", "outcome", "details"],
    sa.select(Invoice.tenant_id, Invoice.id, sa.literal("finance_export"), _EARLIER_ATTEMPTS + 1, _NOW, _NOW,
              sa.literal("sent"), sa.bindparam("details", type_=DeliveryAttempt.details.type))
    .where(_DELIVERED))
MARK_EXPORTED = (
    sa.update(Invoice).where(Invoice.id.in_(sa.bindparam("exported", expanding=True))).values(
        exported_at=_NOW,
        sent_at=sa.case((_DELIVERED, _NOW), else_=Invoice.sent_at),
        status=sa.case((sa.and_(_DELIVERED, Invoice.status == "issued"), "sent"), else_=Invoice.status))
    .execution_options(synchronize_session=False))


def mark_exported(invoices: list[ExportedRef], path: Path) -> None:
    """Record the export, in two statements whatever the number of invoices; finance-export
    payers' invoices are delivered by it (one attempt row each, numbered after any earlier)."""
    now = utcnow()
    delivered = [i.id for i in invoices if i.channel == "finance_export" and i.sent_at is None]
    if delivered:
        db.session.execute(RECORD_FILE_DELIVERIES,
                           {"now": now, "delivered": delivered, "details": {"file": relative_to_instance(path)}})
    db.session.execute(MARK_EXPORTED, {"now": now, "delivered": delivered, "exported": [i.id for i in invoices]})


def export_run(tenant: Tenant, run: InvoiceRun, written: Mapping[int, Sequence] | None = None) -> list[ExportedRef]:
    """Write the run's export of the invoices not exported yet and record it; the invoices it
    lists (none: no file). `written`: see `run_rows`."""
    rows, invoices = run_rows(run.id, written)
    if not invoices:
        return []
    sequence = run.export_count + 1
    path = tenant_folder(tenant.id, FINANCE_EXPORT) / f"invoices-{run.period_start:%Y-%m}-run{run.id}-{sequence}.csv"
    write_atomically(path, export_csv(rows))
    mark_exported(invoices, path)
    run.export_count, run.export_path = sequence, relative_to_instance(path)
    return invoices


def export_document(tenant: Tenant, invoice: Invoice) -> Path:
    """A one-document export for an invoice issued outside a run (its delivery job writes it)."""
    name = f"{invoice.kind.replace('_', '-')}-{invoice.number}.csv"
    path = tenant_folder(tenant.id, FINANCE_EXPORT) / name
    write_atomically(path, export_csv(document_rows([invoice])))
    return path

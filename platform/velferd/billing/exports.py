"""Finance export files: every issued document in exactly one file of its invoice run.

A run's files list, between them, every document issued for the run — its invoices, the credit
notes of those invoices (a credit note belongs to the run of the invoice it credits), and
invoices released after a hold — whatever the payer's delivery channel, so a tenant's files sum
to its ledger. The run's last transaction writes its first file; anything issued for the run
later is written into the run's next file by a ``billing.export_documents`` job, requested when it
is issued (credit, release) and, should that job be lost, by the billing sweep
(billing.undelivered). Each file is recorded as a `FinanceExportFile` and each document it lists
points at it (``export_file_id``; ``exported_at`` too), so a file only lists what is in no
earlier file: a re-run after a crash, a reopened period or a second job never exports a document
twice. Payers on the finance-export channel are delivered by that file: their documents are
marked sent, with a delivery attempt on record, in the transaction that records the file (their
delivery job exports the run rather than writing a file of its own).

The file name carries the run's export sequence number, which is only advanced on commit, so a
crash between writing the file and committing rewrites the same file instead of adding one; the
run's row is locked while a job exports, so two jobs cannot write the same file at once. A
document of a run that is still running (or failed) is left to that run's last transaction.

The file is made from plain rows, not from ORM objects and documents — a run exports one line
per billed placement: the documents come from one query, their lines from memory (what the run
just wrote) or, for the others, from one more query. The rows go through
`finance_export.export_rows`, so the columns are filled in one place, and the totals through
`finance_export.DocumentTotals`, so VAT is computed as on the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from velferd.billing.files import FINANCE_EXPORT, relative_to_instance, tenant_folder, write_atomically
from velferd.billing.finance_export import DocumentTotals, ExportedInvoice, FinanceExportRow, export_csv, export_rows
from velferd.db import UtcDateTime, db, utcnow
from velferd.models import DeliveryAttempt, FinanceExportFile, Invoice, InvoiceLine, InvoiceRun, Tenant, User

EXPORT_TASK = "billing.export_documents"
RUNS_DONE = ("completed", "reopened")  # runs whose later documents an export job writes


class ExportedRef(NamedTuple):
    """A document in a file: what marking it exported and delivering it need."""

    id: int
    channel: str | None
    status: str
    sent_at: dt.datetime | None


def _unexported():
    return (Invoice.run_id == sa.bindparam("run_id"), Invoice.number.is_not(None), Invoice.exported_at.is_(None))


_CREDITED = aliased(Invoice)
UNEXPORTED_DOCUMENTS = (
    sa.select(Invoice.id, Invoice.number, Invoice.kind, _CREDITED.number.label("credited_number"),
              Invoice.issue_date, Invoice.due_date, Invoice.plugin, Invoice.currency, Invoice.vat_category,
              Invoice.vat_rate, Invoice.payer_snapshot, Invoice.accounting, Invoice.status, Invoice.sent_at)
    .outerjoin(_CREDITED, _CREDITED.id == Invoice.credits_invoice_id)
    .where(*_unexported()).order_by(Invoice.number))
UNEXPORTED_LINES = (
    sa.select(InvoiceLine.invoice_id, InvoiceLine.position, InvoiceLine.description, InvoiceLine.quantity,
              InvoiceLine.unit_price, InvoiceLine.amount, InvoiceLine.period_start, InvoiceLine.period_end,
              InvoiceLine.case_reference)
    .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
    .where(*_unexported(), Invoice.id.in_(sa.bindparam("invoice_ids", expanding=True)))
    .order_by(Invoice.number, InvoiceLine.position))


class RunExport(NamedTuple):
    """What the run's next file holds: its rows, its documents, and their net (invoices minus
    credit notes, before VAT)."""

    rows: list[FinanceExportRow]
    documents: list[ExportedRef]
    net_total: Decimal


def run_rows(run_id: int, written: Mapping[int, Sequence] | None = None) -> RunExport:
    """The export rows of the run's issued documents not exported yet, in number order.
    `written` has the lines of invoices this process just wrote ({invoice id: lines}); only the
    others' lines are read back."""
    written = written or {}
    documents = db.session.execute(UNEXPORTED_DOCUMENTS, {"run_id": run_id}).all()
    if not documents:
        return RunExport([], [], Decimal("0.00"))
    stored = _stored_lines(run_id, [row.id for row in documents if row.id not in written])
    rows: list[FinanceExportRow] = []
    refs, net = [], Decimal("0.00")
    for row in documents:
        payer = row.payer_snapshot or {}
        lines = written[row.id] if row.id in written else stored.get(row.id, ())
        totals = DocumentTotals(lines, row.vat_category or "O", row.vat_rate or Decimal("0"))
        exported = ExportedInvoice(
            number=row.number, kind=row.kind, credited_number=row.credited_number,
            issue_date=row.issue_date, due_date=row.due_date, payer_name=payer.get("name"),
            payer_organisation_number=payer.get("organisation_number"), payer_kind=payer.get("payer_kind") or "",
            delivery_channel=payer.get("delivery_channel") or "", plugin=row.plugin, currency=row.currency,
            vat_category=totals.vat_category, vat_rate=totals.vat_rate, vat_amount=totals.vat_amount,
            gross_total=totals.payable_total, customer_reference=payer.get("buyer_reference") or "",
            accounting=row.accounting or {})
        rows += export_rows(exported, lines)
        net += -totals.line_total if row.kind == "credit_note" else totals.line_total
        refs.append(ExportedRef(row.id, payer.get("delivery_channel"), row.status, row.sent_at))
    return RunExport(rows, refs, net)


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
        exported_at=_NOW, export_file_id=sa.bindparam("file_id"),
        sent_at=sa.case((_DELIVERED, _NOW), else_=Invoice.sent_at),
        status=sa.case((sa.and_(_DELIVERED, Invoice.status == "issued"), "sent"), else_=Invoice.status))
    .execution_options(synchronize_session=False))


def mark_exported(documents: list[ExportedRef], path: Path, file_id: int) -> None:
    """Record the export, in two statements whatever the number of documents; finance-export
    payers' documents are delivered by it (one attempt row each, numbered after any earlier)."""
    now = utcnow()
    delivered = [i.id for i in documents if i.channel == "finance_export" and i.sent_at is None]
    if delivered:
        db.session.execute(RECORD_FILE_DELIVERIES,
                           {"now": now, "delivered": delivered, "details": {"file": relative_to_instance(path)}})
    db.session.execute(MARK_EXPORTED, {"now": now, "delivered": delivered, "file_id": file_id,
                                       "exported": [i.id for i in documents]})


def export_run(tenant: Tenant, run: InvoiceRun, written: Mapping[int, Sequence] | None = None) -> list[ExportedRef]:
    """Write the run's next file with its documents not exported yet and record it; the documents
    it lists (none: no file). `written`: see `run_rows`."""
    export = run_rows(run.id, written)
    if not export.documents:
        return []
    sequence = run.export_count + 1
    path = tenant_folder(tenant.id, FINANCE_EXPORT) / f"invoices-{run.period_start:%Y-%m}-run{run.id}-{sequence}.csv"
    write_atomically(path, export_csv(export.rows))
    file = FinanceExportFile(run_id=run.id, sequence=sequence, path=relative_to_instance(path),
                             document_count=len(export.documents), net_total=export.net_total)
    db.session.add(file)
    db.session.flush()
    mark_exported(export.documents, path, file.id)
    run.export_count, run.export_path = sequence, file.path
    return export.documents


def request_export(run_id: int | None, tenant: Tenant, actor: User | None = None) -> None:
    """Ask for the run's next file (sent when the current transaction commits): a document was
    issued for the run outside its own transaction."""
    from velferd.jobs.outbox import enqueue

    if run_id is not None:
        enqueue(EXPORT_TASK, tenant=tenant, kwargs={"run_id": run_id}, actor=actor)


def export_documents(ctx, run_id: int) -> dict[str, Any]:
    """The ``billing.export_documents`` task: the run's next file, with every issued document of
    the run that is in no file yet (none: no file)."""
    run = db.session.scalar(sa.select(InvoiceRun).where(InvoiceRun.id == run_id).with_for_update()
                            .execution_options(populate_existing=True))
    if run is None:
        return {"outcome": "skipped", "reason": f"no invoice run {run_id}"}
    if run.state not in RUNS_DONE:
        return {"outcome": "skipped", "reason": f"run {run_id} is {run.state}: its own last transaction exports"}
    documents = export_run(ctx.tenant, run)
    return {"outcome": "exported" if documents else "nothing to export", "documents": len(documents),
            "file": run.export_path if documents else None}

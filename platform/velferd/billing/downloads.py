"""The files finance downloads: an invoice's PDF and EHF XML, rendered from its frozen
document on demand (so they are always what was issued), and a run's finance export files —
one by its sequence number, or all of them in one ZIP (always a ZIP, whatever their number, so
the response's type never depends on how many files the run has)."""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa

from velferd.billing.documents_for import document_for
from velferd.billing.ehf import ubl_xml
from velferd.billing.files import instance_file
from velferd.billing.pdf import invoice_pdf
from velferd.errors import NotFound
from velferd.db import db
from velferd.models import FinanceExportFile, Invoice, InvoiceRun, Tenant


def _stem(invoice: Invoice) -> str:
    return f"{'kreditnota' if invoice.kind == 'credit_note' else 'faktura'}-{invoice.number}"


def pdf_file(tenant: Tenant, invoice: Invoice) -> tuple[bytes, str, str]:
    doc = document_for(invoice)
    return invoice_pdf(doc, tenant.locale), "application/pdf", f"{_stem(invoice)}.pdf"


def xml_file(tenant: Tenant, invoice: Invoice) -> tuple[bytes, str, str]:
    doc = document_for(invoice)
    return ubl_xml(doc), "application/xml", f"{_stem(invoice)}.xml"


def export_files(run: InvoiceRun) -> list[FinanceExportFile]:
    """The run's finance export files, in the order they were written."""
    return db.session.scalars(sa.select(FinanceExportFile).where(FinanceExportFile.run_id == run.id)
                              .order_by(FinanceExportFile.sequence)).all()


def export_file(run: InvoiceRun, sequence: int) -> tuple[bytes, str]:
    """One of the run's files (CSV), by its sequence number; 404 naming what the run has."""
    for file in export_files(run):
        if file.sequence == sequence:
            path = instance_file(file.path)
            return path.read_bytes(), path.name
    raise NotFound(f"invoice run {run.id} has no export file {sequence} (it has {run.export_count})")


def export_zip(run: InvoiceRun) -> tuple[bytes, str]:
    """Every file of the run in one ZIP, each under its own name; 404 when it has none."""
    files = export_files(run)
    if not files:
        raise NotFound(f"invoice run {run.id} has written no export file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            path = instance_file(file.path)
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue(), f"finance-export-{run.period_start:%Y-%m}-run{run.id}.zip"

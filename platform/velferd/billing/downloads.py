"""The files finance downloads: an invoice's PDF and EHF XML, rendered from its frozen
document on demand (so they are always what was issued), and a run's finance export."""

from __future__ import annotations

from velferd.billing.documents_for import document_for
from velferd.billing.ehf import ubl_xml
from velferd.billing.files import instance_file
from velferd.billing.pdf import invoice_pdf
from velferd.errors import NotFound
from velferd.models import Invoice, InvoiceRun, Tenant


def _stem(invoice: Invoice) -> str:
    return f"{'kreditnota' if invoice.kind == 'credit_note' else 'faktura'}-{invoice.number}"


def pdf_file(tenant: Tenant, invoice: Invoice) -> tuple[bytes, str, str]:
    doc = document_for(invoice)
    return invoice_pdf(doc, tenant.locale), "application/pdf", f"{_stem(invoice)}.pdf"


def xml_file(tenant: Tenant, invoice: Invoice) -> tuple[bytes, str, str]:
    doc = document_for(invoice)
    return ubl_xml(doc), "application/xml", f"{_stem(invoice)}.xml"


def export_file(run: InvoiceRun) -> tuple[bytes, str]:
    if run.export_path is None:
        raise NotFound(f"invoice run {run.id} has written no export file")
    path = instance_file(run.export_path)
    return path.read_bytes(), path.name

"""From a stored, issued invoice to the plain `InvoiceDocument` every renderer takes.

Only the invoice's own frozen fields are read (snapshots, VAT, lines), so the document of an
invoice is the same today and in ten years, whatever happened to the payer unit since.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Mapping

from velferd.billing.document import CREDIT_NOTE, DocumentLine, InvoiceDocument, Party
from velferd.errors import Conflict
from velferd.models import Invoice
from velferd.tenancy import get_owned

PARTY_FIELDS = ("name", "organisation_number", "country", "address", "postal_code", "city", "email", "ehf_endpoint")


def party(snapshot: Mapping[str, Any]) -> Party:
    return Party(**{key: snapshot.get(key) for key in PARTY_FIELDS})


def document_for(invoice: Invoice) -> InvoiceDocument:
    """The document of an issued invoice or credit note; 409 for one not issued (no number yet)."""
    if invoice.number is None:
        raise Conflict(f"invoice {invoice.id} is {invoice.status} and has no number yet: there is no document",
                       {"status": [invoice.hold_reason or f"The invoice is {invoice.status}."]})
    credited = get_owned(Invoice, invoice.credits_invoice_id) if invoice.kind == CREDIT_NOTE else None
    payer = invoice.payer_snapshot or {}
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        seller=party(invoice.seller_snapshot or {}),
        buyer=party(payer),
        buyer_reference=payer.get("buyer_reference") or payer.get("name") or "",
        lines=tuple(document_line(line) for line in invoice.lines),
        vat_category=invoice.vat_category or "O",
        vat_rate=Decimal(invoice.vat_rate or 0),
        vat_exemption_reason=invoice.vat_exemption_reason,
        bank_account=invoice.bank_account,
        payment_terms_days=invoice.payment_terms_days or 0,
        credited_number=credited.number if credited else None,
        credited_issue_date=credited.issue_date if credited else None,
        credit_reason=invoice.credit_reason,
        payment_reference=invoice.payment_reference,
        vat_registered=(invoice.seller_snapshot or {}).get("vat_registered"),
    )


def document_line(line) -> DocumentLine:
    return DocumentLine(
        position=line.position, description=line.description, quantity=line.quantity,
        unit_price=line.unit_price, amount=line.amount, period_start=line.period_start,
        period_end=line.period_end, case_reference=line.case_reference,
    )


def due_date(issue_date: dt.date, payment_terms_days: int) -> dt.date:
    return issue_date + dt.timedelta(days=payment_terms_days)
